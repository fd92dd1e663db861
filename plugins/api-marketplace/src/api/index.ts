export * from './MarketplaceApi';
export { MarketplaceClient, artifactFilename } from './MarketplaceClient';
