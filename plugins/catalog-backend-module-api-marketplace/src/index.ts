/**
 * Catalog module of the Portico API marketplace.
 *
 * @packageDocumentation
 */

export { catalogModuleApiMarketplace as default } from './module';
export { ApiMarketplaceProcessor } from './processor/ApiMarketplaceProcessor';
export type { ApiMarketplaceProcessorOptions } from './processor/ApiMarketplaceProcessor';
export { ApiMarketplaceEntityProvider } from './provider/ApiMarketplaceEntityProvider';
export type { ApiMarketplaceEntityProviderOptions } from './provider/ApiMarketplaceEntityProvider';
export { createTextPlaceholderResolver } from './placeholder/createTextPlaceholderResolver';
