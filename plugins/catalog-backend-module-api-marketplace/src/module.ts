import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ApiMarketplaceProcessor } from './processor/ApiMarketplaceProcessor';

/**
 * Adds the API marketplace to the catalog: validated marketplace blocks on
 * `API` entities.
 *
 * @public
 */
export const catalogModuleApiMarketplace = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'api-marketplace',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog }) {
        catalog.addProcessor(new ApiMarketplaceProcessor());
      },
    });
  },
});
