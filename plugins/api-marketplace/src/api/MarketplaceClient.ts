import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ProductDetail,
  ProductSummary,
} from '@portico/plugin-api-marketplace-common';
import { MarketplaceApi, ProductQuery } from './MarketplaceApi';

/** Talks to `/api/api-marketplace` with the signed-in user's token. */
export class MarketplaceClient implements MarketplaceApi {
  constructor(
    private readonly options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async listProducts(query: ProductQuery = {}): Promise<ProductSummary[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value) params.set(key, value);
    }
    const suffix = params.toString() ? `?${params}` : '';
    const body = await this.get<{ items: ProductSummary[] }>(`/v1/products${suffix}`);
    return body.items;
  }

  async getProduct(id: string): Promise<ProductDetail> {
    return this.get<ProductDetail>(`/v1/products/${encodeURIComponent(id)}`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('api-marketplace');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
