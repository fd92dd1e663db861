export {
  EntityMarketplaceDocsContent,
  EntityMarketplaceChangesContent,
  EntityMarketplaceKeysContent,
  EntityMarketplaceTryItContent,
} from './EntityMarketplaceContent';
