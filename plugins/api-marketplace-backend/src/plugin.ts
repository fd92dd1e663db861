import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { marketplacePermissions } from '@portico/plugin-api-marketplace-common';
import { ArtifactService } from './artifacts/ArtifactService';
import { createDataPlane } from './dataPlane';
import { AuditStore } from './database/AuditStore';
import { KeyStore } from './database/KeyStore';
import { applyDatabaseMigrations } from './database/migrations';
import { PartnerStore } from './database/PartnerStore';
import { SpecHistoryStore } from './database/SpecHistoryStore';
import { SubscriptionStore } from './database/SubscriptionStore';
import { KeyService } from './keys/KeyService';
import { PartnerService } from './partners/PartnerService';
import { ProductService } from './products/ProductService';
import { SpecHistoryRecorder } from './products/SpecHistoryRecorder';
import { CallerResolver } from './service/CallerResolver';
import { createRouter } from './service/router';
import {
  SubscriptionService,
  checkoutRequiredForPaidPlans,
} from './subscriptions/SubscriptionService';

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
        auditor: coreServices.auditor,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, database, logger, scheduler } = deps;
        deps.permissionsRegistry.addPermissions(marketplacePermissions);

        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(db);
        }
        const specHistory = new SpecHistoryStore(db);
        const partners = new PartnerStore(db);
        const subscriptions = new SubscriptionStore(db);
        const audit = new AuditStore(db);

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

        const keys = new KeyStore(db);
        const dataPlane = await createDataPlane({
          ...deps,
          database: db,
          products: productService,
          keys,
          subscriptions,
        });

        // The gateway streams raw bodies: mounted before the JSON API router.
        deps.httpRouter.use(dataPlane.gateway.router());
        deps.httpRouter.use(
          await createRouter({
            productService,
            specHistory,
            artifacts: new ArtifactService(productService, deps.discovery),
            callers: new CallerResolver(
              deps.httpAuth,
              deps.permissions,
              partners,
            ),
            partnerService: new PartnerService(partners, audit),
            partners,
            audit,
            catalog: deps.catalog,
            keyService: new KeyService(
              keys,
              subscriptions,
              audit,
              deps.auditor,
              dataPlane.evictions,
            ),
            subscriptionService: new SubscriptionService(
              subscriptions,
              productService,
              audit,
              checkoutRequiredForPaidPlans,
              dataPlane.evictions,
            ),
            auth: deps.auth,
            httpAuth: deps.httpAuth,
            ...dataPlane,
          }),
        );
        for (const path of [
          '/health',
          // The API key is the credential.
          '/gateway',
          // Takes the gateway's token in X-Portico-Gateway-Token: Authorization carries the key.
          '/v1/verify/auth-request',
        ]) {
          deps.httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
      },
    });
  },
});
