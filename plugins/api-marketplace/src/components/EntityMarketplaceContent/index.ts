export {
  EntityMarketplaceDocsContent,
  EntityMarketplaceChangesContent,
} from './EntityMarketplaceContent';
