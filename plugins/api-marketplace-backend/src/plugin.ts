import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { marketplacePermissions } from '@portico/plugin-api-marketplace-common';
import { ArtifactService } from './artifacts/ArtifactService';
import { applyDatabaseMigrations } from './database/migrations';
import { SpecHistoryStore } from './database/SpecHistoryStore';
import { ProductService } from './products/ProductService';
import { SpecHistoryRecorder } from './products/SpecHistoryRecorder';
import { createRouter } from './service/router';

/**
 * The control plane of the API marketplace.
 *
 * @public
 */
export const apiMarketplacePlugin = createBackendPlugin({
  pluginId: 'api-marketplace',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, database, httpRouter, logger, scheduler } = deps;
        deps.permissionsRegistry.addPermissions(marketplacePermissions);

        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(db);
        }
        const specHistory = new SpecHistoryStore(db);
        const productService = ProductService.create({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          history: new SpecHistoryRecorder(specHistory, logger),
          maxAgeMs: config.getOptionalNumber('apiMarketplace.productCacheMs'),
        });

        await scheduler.scheduleTask({
          id: 'api-marketplace-product-sync',
          scope: 'global',
          frequency: {
            seconds:
              config.getOptionalNumber('apiMarketplace.productSyncSeconds') ??
              30,
          },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 10 },
          fn: () => productService.refresh(),
        });

        const artifacts = new ArtifactService(productService, deps.discovery);
        httpRouter.use(
          await createRouter({ productService, specHistory, artifacts }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
