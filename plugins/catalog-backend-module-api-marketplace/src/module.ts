import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { SpecIngester } from './ingest/SpecIngester';
import { SpecLinter } from './lint/SpecLinter';
import { createTextPlaceholderResolver } from './placeholder/createTextPlaceholderResolver';
import { ApiMarketplaceProcessor } from './processor/ApiMarketplaceProcessor';
import { PartnerEntityProvider } from './partners/PartnerEntityProvider';
import { ApiMarketplaceEntityProvider } from './provider/ApiMarketplaceEntityProvider';
import { readModuleOptions } from './readModuleOptions';
import { SpecReader } from './reading/SpecReader';

/**
 * Adds the API marketplace to the catalog:
 *
 * - a `$text` placeholder resolver that also works for entities registered
 *   from `file` locations (it replaces the stock one);
 * - the `ApiMarketplaceProcessor`, which validates marketplace blocks and
 *   ingests, bundles and lints their OpenAPI specs;
 * - the `ApiMarketplaceEntityProvider` for products configured in
 *   `catalog.providers.apiMarketplace`, if any;
 * - the `PartnerEntityProvider`, which publishes the marketplace's partner
 *   organisations as `Group` and `User` entities, if
 *   `catalog.providers.apiMarketplacePartners` is set.
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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({
        catalog,
        config,
        logger,
        urlReader,
        scheduler,
        lifecycle,
        discovery,
        auth,
      }) {
        const options = readModuleOptions(config);
        const reader = SpecReader.fromConfig(config, {
          reader: urlReader,
          maxBytes: options.maxSpecBytes,
        });
        const ingester = new SpecIngester({
          reader,
          maxBytes: options.maxSpecBytes,
        });
        const linter = new SpecLinter({ logger, ...options.lint });
        lifecycle.addShutdownHook(() => linter.close());

        catalog.addPlaceholderResolver(
          'text',
          createTextPlaceholderResolver(reader),
        );
        catalog.addProcessor(
          new ApiMarketplaceProcessor({ reader, ingester, linter, logger }),
        );
        const provider = ApiMarketplaceEntityProvider.fromConfig(config, {
          ingester,
          logger,
          scheduler,
        });
        if (provider) {
          catalog.addEntityProvider(provider);
        }
        const partnerProvider = PartnerEntityProvider.fromConfig(config, {
          discovery,
          auth,
          scheduler,
          logger,
        });
        if (partnerProvider) {
          catalog.addEntityProvider(partnerProvider);
        }
      },
    });
  },
});
