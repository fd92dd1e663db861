import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ProductDetail,
  ProductSummary,
  SpecVersion,
} from '@portico/plugin-api-marketplace-common';

/** Filters of the product list. Empty values are not sent. */
export interface ProductQuery {
  category?: string;
  status?: string;
  tag?: string;
  q?: string;
}

/** Code performing one operation in one language. */
export type CodeSample = {
  /** Machine name, e.g. `curl`, `javascript`, `python`. */
  language: string;
  /** Human name, e.g. `cURL`, `JavaScript (fetch)`. */
  label: string;
  code: string;
};

/** `GET /v1/products/{id}/snippets/{operationId}`. */
export type OperationSnippets = {
  operationId: string;
  snippets: CodeSample[];
};

/** The files generated from a product's spec that can be downloaded. */
export type MarketplaceArtifact = 'postman' | 'typescript';

/** A downloaded artifact, ready to be saved by the browser. */
export type MarketplaceDownload = {
  filename: string;
  blob: Blob;
};

/** The marketplace backend, as the frontend sees it. */
export interface MarketplaceApi {
  listProducts(query?: ProductQuery): Promise<ProductSummary[]>;
  getProduct(id: string): Promise<ProductDetail>;
  /** Spec versions of a product, newest first. */
  listChanges(id: string): Promise<SpecVersion[]>;
  getSnippets(id: string, operationId: string): Promise<OperationSnippets>;
  downloadArtifact(
    id: string,
    artifact: MarketplaceArtifact,
  ): Promise<MarketplaceDownload>;
}

export const marketplaceApiRef = createApiRef<MarketplaceApi>({
  id: 'plugin.api-marketplace.client',
});
