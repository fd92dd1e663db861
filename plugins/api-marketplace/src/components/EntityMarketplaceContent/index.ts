export {
  EntityMarketplaceDocsContent,
  isMarketplaceApi,
  getMarketplaceId,
} from './EntityMarketplaceContent';
