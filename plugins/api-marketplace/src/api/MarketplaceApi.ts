import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ProductDetail,
  ProductSummary,
} from '@portico/plugin-api-marketplace-common';

/** Filters of the product list. */
export interface ProductQuery {
  category?: string;
  status?: string;
  tag?: string;
  q?: string;
}

/** The marketplace backend, as the frontend sees it. */
export interface MarketplaceApi {
  listProducts(query?: ProductQuery): Promise<ProductSummary[]>;
  getProduct(id: string): Promise<ProductDetail>;
}

export const marketplaceApiRef = createApiRef<MarketplaceApi>({
  id: 'plugin.api-marketplace.client',
});
