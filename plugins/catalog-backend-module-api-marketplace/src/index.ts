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
export { PartnerEntityProvider } from './partners/PartnerEntityProvider';
export type { PartnerEntityProviderOptions } from './partners/PartnerEntityProvider';
export { HttpPartnerDirectory } from './partners/PartnerDirectory';
export type {
  DirectoryPartner,
  PartnerDirectory,
} from './partners/PartnerDirectory';
export {
  ANNOTATION_PARTNER_ID,
  ANNOTATION_PARTNER_ROLE,
  ANNOTATION_PARTNER_STATUS,
  PARTNER_NAMESPACE,
} from './partners/partnerEntities';
