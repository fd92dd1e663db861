import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ProductDetail,
  ProductSummary,
  SpecVersion,
} from '@portico/plugin-api-marketplace-common';
import {
  MarketplaceApi,
  MarketplaceArtifact,
  MarketplaceDownload,
  OperationSnippets,
  ProductQuery,
} from './MarketplaceApi';

const artifactPaths: Record<MarketplaceArtifact, string> = {
  postman: 'postman',
  typescript: 'sdk/typescript',
};

/** The name a downloaded artifact is saved under. */
export function artifactFilename(
  id: string,
  artifact: MarketplaceArtifact,
): string {
  return artifact === 'postman'
    ? `${id}.postman_collection.json`
    : `${id}-client.ts`;
}

/** Talks to `/api/api-marketplace` with the signed-in user's token. */
export class MarketplaceClient implements MarketplaceApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listProducts(query: ProductQuery = {}): Promise<ProductSummary[]> {
    const params = new URLSearchParams();
    for (const key of ['category', 'status', 'tag', 'q'] as const) {
      const value = query[key]?.trim();
      if (value) params.set(key, value);
    }
    const suffix = params.toString() ? `?${params}` : '';
    const response = await this.request(`/v1/products${suffix}`);
    const body = (await response.json()) as { items: ProductSummary[] };
    return body.items;
  }

  async getProduct(id: string): Promise<ProductDetail> {
    const response = await this.request(`/v1/products/${encode(id)}`);
    return (await response.json()) as ProductDetail;
  }

  async listChanges(id: string): Promise<SpecVersion[]> {
    const response = await this.request(`/v1/products/${encode(id)}/changes`);
    const body = (await response.json()) as { items: SpecVersion[] };
    return body.items;
  }

  async getSnippets(
    id: string,
    operationId: string,
  ): Promise<OperationSnippets> {
    const response = await this.request(
      `/v1/products/${encode(id)}/snippets/${encode(operationId)}`,
    );
    return (await response.json()) as OperationSnippets;
  }

  async downloadArtifact(
    id: string,
    artifact: MarketplaceArtifact,
  ): Promise<MarketplaceDownload> {
    const response = await this.request(
      `/v1/products/${encode(id)}/${artifactPaths[artifact]}`,
    );
    return {
      filename: artifactFilename(id, artifact),
      blob: await response.blob(),
    };
  }

  private async request(path: string): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('api-marketplace');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function encode(segment: string): string {
  return encodeURIComponent(segment);
}
