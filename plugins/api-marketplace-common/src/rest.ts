// Type aliases rather than interfaces: the typed OpenAPI router needs index-compatible shapes.
import type { ApiProduct } from './product';

/** One Spectral finding, trimmed for display. */
export type LintFinding = {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** JSON path in the spec, dot separated. */
  path: string;
};

/** What the catalog module recorded about the lint of a spec. */
export type LintSummary = {
  ruleset: string;
  errors: number;
  warnings: number;
  infos: number;
  /** The first findings, most severe first. */
  findings: LintFinding[];
};

/** A product as listed by `GET /v1/products`. */
export type ProductSummary = ApiProduct & {
  entityRef: string;
  title: string;
  description: string;
  /** `info.version` of the spec. */
  version: string;
  /** `openapi` or `swagger` version string of the spec. */
  specVersion: string;
  specHash: string;
  lint?: LintSummary;
  operationCount: number;
  updatedAt: string;
};

export type OperationParameter = {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  description?: string;
  type?: string;
  example?: unknown;
};

export type OperationResponse = {
  status: string;
  description?: string;
  contentType?: string;
  example?: unknown;
};

/** One operation of a product's spec. */
export type ProductOperation = {
  operationId: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: OperationParameter[];
  requestBody?: { contentType: string; required: boolean; example?: unknown };
  responses: OperationResponse[];
};

/** `GET /v1/products/{id}`. */
export type ProductDetail = ProductSummary & {
  operations: ProductOperation[];
};

/** A change a client can notice, with whether it breaks existing clients. */
export type SpecChangeItem = {
  kind:
    | 'operation-added'
    | 'operation-removed'
    | 'parameter-removed'
    | 'parameter-added'
    | 'parameter-now-required'
    | 'field-removed'
    | 'field-now-required'
    | 'field-added';
  operation: string;
  detail: string;
  breaking: boolean;
};

/** `GET /v1/products/{id}/changes` items, newest first. */
export type SpecVersion = {
  specHash: string;
  version: string;
  detectedAt: string;
  previousHash?: string;
  changes: SpecChangeItem[];
  breaking: boolean;
};
