export * from './MarketplaceApi';
export { MarketplaceClient } from './MarketplaceClient';
