/**
 * The control plane of the Portico API marketplace.
 *
 * @packageDocumentation
 */

export { apiMarketplacePlugin as default } from './plugin';
