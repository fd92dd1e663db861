/**
 * The frontend of the Portico API marketplace.
 *
 * @packageDocumentation
 */

export {
  apiMarketplacePlugin,
  ApiMarketplacePage,
  EntityMarketplaceDocsContent,
} from './plugin';
export { isMarketplaceApi } from './components/EntityMarketplaceContent';
export * from './api';
