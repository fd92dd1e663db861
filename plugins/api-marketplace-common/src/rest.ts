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

/**
 * `POST /v1/sandbox/try`: one call to a product's sandbox on behalf of the
 * signed-in partner. The operation is named by `operationId`, or by `method`
 * and `path`. The key is one of the partner's sandbox keys by `keyId` (the
 * secret never leaves the server), or a pasted `key`.
 */
export type SandboxTryRequest = {
  productId: string;
  operationId?: string;
  method?: string;
  path?: string;
  pathParams?: Record<string, string>;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: unknown;
  keyId?: string;
  key?: string;
};

/** What the sandbox answered, with the request as a curl command. */
export type SandboxTryResponse = {
  statusCode: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The response body as text (JSON as sent by the sandbox). */
  body: string;
  latencyMs: number;
  /** Body bytes received. */
  size: number;
  /** The body was cut at the size limit. */
  truncated: boolean;
  /** The request as sent, with credentials redacted. */
  curl: string;
};

export type UsageGranularity = 'minute' | 'hour' | 'day';

/** Calls per HTTP status class. */
export type UsageStatusClasses = {
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
};

/** One time bucket of one product in one environment. */
export type UsageItem = {
  bucketStart: string;
  productId: string;
  environment: 'sandbox' | 'production';
  calls: number;
  billableCalls: number;
  statusClasses: UsageStatusClasses;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
};

/** The whole period of one product in one environment, against its plan. */
export type UsageTotal = {
  productId: string;
  environment: 'sandbox' | 'production';
  plan: 'free' | 'starter' | 'enterprise';
  calls: number;
  billableCalls: number;
  /** Free tier: calls allowed per month. */
  monthlyQuota?: number;
  /** Free tier: calls left this month. */
  quotaRemaining?: number;
  /** Paid tiers: calls included in the monthly price. */
  includedCalls?: number;
};

/** `GET /v1/usage`. */
export type UsageReport = {
  partnerId: string;
  from: string;
  to: string;
  granularity: UsageGranularity;
  items: UsageItem[];
  totals: UsageTotal[];
  /** Includes the live counters of buckets not yet rolled up. */
  live: boolean;
};

/**
 * One entry of `GET /v1/products/{id}/operations`: enough to list, group and
 * search an operation, without its parameters, bodies and examples.
 */
export type ProductOperationSummary = Pick<
  ProductOperation,
  'operationId' | 'method' | 'path' | 'summary' | 'tags' | 'deprecated'
>;

/**
 * `GET /v1/products/{id}/operations`: one entry per operation, in the order
 * and with the ids of `ProductDetail.operations`. The full operation is
 * `GET /v1/products/{id}/operations/{operationId}`.
 */
export type ProductOperationIndex = {
  items: ProductOperationSummary[];
};
