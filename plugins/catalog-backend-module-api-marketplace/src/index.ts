/**
 * Catalog module of the Portico API marketplace.
 *
 * @packageDocumentation
 */

export { catalogModuleApiMarketplace as default } from './module';
export { ApiMarketplaceProcessor } from './processor/ApiMarketplaceProcessor';
