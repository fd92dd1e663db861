export {
  EntityMarketplaceDocsContent,
  EntityMarketplaceChangesContent,
  EntityMarketplaceKeysContent,
} from './EntityMarketplaceContent';
