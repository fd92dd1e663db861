/**
 * The frontend of the Portico API marketplace.
 *
 * @packageDocumentation
 */

export {
  apiMarketplacePlugin,
  ApiMarketplacePage,
  EntityMarketplaceDocsContent,
  EntityMarketplaceChangesContent,
  EntityMarketplaceKeysContent,
  EntityMarketplaceTryItContent,
} from './plugin';
export { isMarketplaceApi, getMarketplaceId } from './conditions';
export * from './api';
