/**
 * Permission policy for a portal with the Portico API marketplace.
 *
 * @packageDocumentation
 */

export { permissionModuleApiMarketplacePolicy as default } from './module';
export { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';
