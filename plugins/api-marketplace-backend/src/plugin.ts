import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { marketplacePermissions } from '@portico/plugin-api-marketplace-common';
import { ProductService } from './products/ProductService';
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
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        auth,
        config,
        httpRouter,
        logger,
        permissionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(marketplacePermissions);
        const productService = ProductService.create({
          catalog,
          auth,
          logger,
          maxAgeMs: config.getOptionalNumber('apiMarketplace.productCacheMs'),
        });
        httpRouter.use(await createRouter({ productService }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
