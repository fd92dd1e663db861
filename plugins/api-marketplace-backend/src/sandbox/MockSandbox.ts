import { randomBytes, randomUUID } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { ProductDetail } from '@portico/plugin-api-marketplace-common';
import { sample } from '@stoplight/json-schema-sampler';
import { createInstance } from '@stoplight/prism-http';
import { hashSpecText, parseSpecText } from '../products/specDocument';
import { encodePathSegment } from './buildTarget';
import { MockState, MockStateOptions } from './MockState';
import { HttpOperation, prepareOperations } from './prepareOperations';

/** What the mock needs of the product read model (`ProductService`). */
export interface MockProducts {
  get(id: string): Promise<ProductDetail | undefined>;
  getSpecText(id: string): Promise<string | undefined>;
}

export interface MockSandboxRequest {
  productId: string;
  method: string;
  /** The path below the API's base URL, e.g. `/parcels/PX-1`; no query. */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  headers?: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or a string sent with its Content-Type. */
  body?: unknown;
  /**
   * Who is calling (e.g. the user entity ref). Enables the create-then-get
   * demo, scoped to this key; without it the mock is stateless.
   */
  stateKey?: string;
}

export interface MockSandboxResponse {
  statusCode: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: unknown;
}

/** A request pre-filled with the spec's examples or schema samples. */
export interface SampleRequest {
  operationId: string;
  method: string;
  pathTemplate: string;
  /** The template with the sample path parameters encoded into it. */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

export interface MockSandboxOptions {
  products: MockProducts;
  logger?: LoggerService;
  /** Prepared specs kept, least recently used first out. Default 20. */
  maxCachedSpecs?: number;
  /** Generate from schemas with random data by default. Default false (stable). */
  dynamic?: boolean;
  /** Options of the create-then-get store, or false to disable it. */
  state?: MockStateOptions | false;
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** Parsed `Prefer` header, as Prism's own server understands it. */
export interface MockPreferences {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
}

interface Diagnostic {
  path?: string[];
  location?: string[];
  code?: string | number;
  message: string;
  severity?: number | string;
}

/** One failed check of a request, as shown in the problem body. */
export interface ValidationIssue {
  in: 'path' | 'query' | 'header' | 'cookie' | 'body';
  /** Parameter name or dotted body field; absent for the body as a whole. */
  name?: string;
  message: string;
}

const METHODS = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
]);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROBLEM_TYPE = 'urn:portico:sandbox:invalid-request';

const noop = () => undefined;
const silentLogger: any = {
  level: 'silent',
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  trace: noop,
  fatal: noop,
  success: noop,
  child: () => silentLogger,
};

/**
 * Parses `Prefer: code=404, example=notFound, dynamic=true` (commas or
 * semicolons; values may be quoted). Unknown preferences are ignored, as
 * RFC 7240 asks; malformed known ones are refused.
 */
export function parsePrefer(header: string | undefined): MockPreferences {
  const prefs: MockPreferences = {};
  if (!header) return prefs;
  for (const part of header.split(/[,;]/)) {
    const match = /^\s*([A-Za-z-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (!match) continue;
    const [, key, value] = match;
    switch (key.toLowerCase()) {
      case 'code': {
        const code = Number(value);
        if (!/^\d{3}$/.test(value) || code < 100 || code > 599) {
          throw new InputError(
            `Prefer: code must be an HTTP status from 100 to 599, not '${value}'`,
          );
        }
        prefs.code = code;
        break;
      }
      case 'example':
        if (!value || value.length > 128 || CONTROL.test(value)) {
          throw new InputError(
            'Prefer: example must name an example of the response (1 to 128 characters)',
          );
        }
        prefs.exampleKey = value;
        break;
      case 'dynamic':
        if (value !== 'true' && value !== 'false') {
          throw new InputError(
            `Prefer: dynamic must be true or false, not '${value}'`,
          );
        }
        prefs.dynamic = value === 'true';
        break;
      default:
    }
  }
  return prefs;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

function templateRegex(template: string): RegExp {
  const source = template
    .split(/(\{[^{}/]+\})/)
    .map(part =>
      /^\{[^{}/]+\}$/.test(part)
        ? '([^/]+)'
        : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** The operation a request reaches; concrete paths beat templated ones. */
function matchOperation(
  operations: HttpOperation[],
  method: string,
  path: string,
): HttpOperation | undefined {
  const candidates = operations.filter(
    op =>
      op.method.toUpperCase() === method && templateRegex(op.path).test(path),
  );
  const params = (op: HttpOperation) => (op.path.match(/\{/g) ?? []).length;
  return candidates.sort((a, b) => params(a) - params(b))[0];
}

/** Names as the spec spells them, by location and lower-cased name. */
type NameMap = Map<string, string>;

function namesOf(op: HttpOperation | undefined): NameMap {
  const names: NameMap = new Map();
  const request = op?.request;
  const add = (where: string, params?: Array<{ name: string }>) =>
    params?.forEach(p => names.set(`${where}:${p.name.toLowerCase()}`, p.name));
  add('path', request?.path);
  add('query', request?.query);
  add('header', request?.headers);
  add('cookie', request?.cookie);
  return names;
}

interface Classified extends ValidationIssue {
  kind: 'param' | 'content-type' | 'missing-body' | 'body';
}

function classify(d: Diagnostic, names: NameMap): Classified {
  const location = d.path ?? d.location ?? [];
  const required = /required property '([^']+)'/.exec(d.message)?.[1];
  const additional = /additional properties; found '([^']+)'/.exec(
    d.message,
  )?.[1];
  if (String(d.code) === '415') {
    return {
      kind: 'content-type',
      in: 'header',
      name: 'content-type',
      message: d.message,
    };
  }
  const where = location[0];
  if (
    where === 'path' ||
    where === 'query' ||
    where === 'header' ||
    where === 'cookie'
  ) {
    const raw = location.slice(1).join('.') || required;
    const name = raw ? names.get(`${where}:${raw.toLowerCase()}`) ?? raw : '';
    // Prism lower-cases parameter names; say them as the spec does.
    const message =
      raw && name && raw !== name
        ? d.message.replace(`parameter ${raw} `, `parameter ${name} `)
        : d.message;
    return {
      kind: 'param',
      in: where,
      ...(name ? { name } : {}),
      message,
    };
  }
  if (!location.length && d.code === 'required') {
    return { kind: 'missing-body', in: 'body', message: d.message };
  }
  const field = location.slice(1).join('.');
  const leaf = required ?? additional;
  const name = leaf && field ? `${field}.${leaf}` : field || leaf;
  return {
    kind: d.code === 'parse' ? 'missing-body' : 'body',
    in: 'body',
    ...(name ? { name } : {}),
    message: d.message,
  };
}

/**
 * A readable problem+json response listing every check that failed:
 * 400 for bad parameters or a missing/unparseable body, 415 for an
 * unsupported Content-Type, 422 when only the body's content is wrong.
 */
export function validationProblem(
  diagnostics: Diagnostic[],
  operation?: HttpOperation,
): MockSandboxResponse {
  const names = namesOf(operation);
  const classified = diagnostics.map(d => classify(d, names));
  const kinds = new Set(classified.map(c => c.kind));
  let status = 422;
  if (kinds.has('param') || kinds.has('missing-body')) status = 400;
  else if (kinds.has('content-type')) status = 415;
  const errors: ValidationIssue[] = classified.map(
    ({ kind: _kind, ...issue }) => issue,
  );
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/problem+json',
      'x-portico-sandbox': 'validation',
    },
    body: {
      type: PROBLEM_TYPE,
      title: 'The request does not match the API specification',
      status,
      detail: errors.map(e => e.message).join('; '),
      errors,
    },
  };
}

function problem(
  status: number,
  title: string,
  detail: string,
): MockSandboxResponse {
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/problem+json',
      'x-portico-sandbox': 'error',
    },
    body: { type: PROBLEM_TYPE, title, status, detail },
  };
}

function firstExample(
  examples: Array<{ value?: unknown }> | undefined,
): unknown {
  const found = examples?.find(e => e && 'value' in e && e.value !== undefined);
  return found?.value;
}

function asParamString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(asParamString).join(',');
  if (isPlainObject(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * The built-in sandbox for products without a `sandboxUrl`: Stoplight
 * Prism's HTTP engine answers from the spec, with the operation's examples
 * when it has them and otherwise data generated from the schema. Requests
 * are validated against the spec first.
 *
 * `Prefer: code=404`, `Prefer: example=name` and `Prefer: dynamic=true` pick
 * the response like Prism's own server does.
 */
export class MockSandbox {
  private readonly products: MockProducts;
  private readonly logger?: LoggerService;
  private readonly maxCachedSpecs: number;
  private readonly dynamic: boolean;
  private readonly maxBodyBytes: number;
  private readonly cache = new Map<string, Promise<HttpOperation[]>>();
  private readonly prism = createInstance(
    {
      checkSecurity: false,
      validateRequest: true,
      validateResponse: false,
      errors: false,
      upstreamProxy: undefined,
      isProxy: false,
      mock: { dynamic: false },
    },
    { logger: silentLogger },
  );
  /** The create-then-get store, when enabled. */
  readonly state?: MockState;

  constructor(options: MockSandboxOptions) {
    this.products = options.products;
    this.logger = options.logger;
    this.maxCachedSpecs = options.maxCachedSpecs ?? 20;
    this.dynamic = options.dynamic ?? false;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    if (options.state !== false) this.state = new MockState(options.state);
  }

  /** Answers one request to a product's mock. */
  async handle(request: MockSandboxRequest): Promise<MockSandboxResponse> {
    const method = String(request.method ?? '').toUpperCase();
    if (!METHODS.has(method)) {
      throw new InputError(`method '${request.method}' is not supported`);
    }
    const path = this.checkPath(request.path);
    const headers = this.normaliseHeaders(request.headers);
    const query = this.normaliseQuery(request.query);
    const prefer = parsePrefer(headers.prefer);
    const { product, operations } = await this.load(request.productId);

    const prepared = this.prepareBody(request.body, headers);
    if ('problem' in prepared) return prepared.problem;

    const mock = {
      dynamic: prefer.dynamic ?? this.dynamic,
      ...(prefer.code ? { code: prefer.code } : {}),
      ...(prefer.exampleKey ? { exampleKey: prefer.exampleKey } : {}),
    };
    const result = await this.prism.request(
      {
        method: method.toLowerCase() as any,
        url: { path, query },
        headers,
        body: prepared.body,
      },
      operations,
      {
        checkSecurity: false,
        validateRequest: true,
        validateResponse: false,
        errors: false,
        upstreamProxy: undefined,
        isProxy: false,
        mock,
      },
    )();

    if (result._tag === 'Left') {
      return this.fromPrismError(result.left as any, {
        method,
        path,
        productId: product.id,
        prefer,
        operation: matchOperation(operations, method, path),
      });
    }
    const failed = (result.right.validations.input as Diagnostic[]).filter(
      d => d.severity === 0,
    );
    if (failed.length) {
      return validationProblem(
        failed,
        matchOperation(operations, method, path),
      );
    }

    const output = result.right.output;
    const response: MockSandboxResponse = {
      statusCode: output.statusCode,
      headers: Object.fromEntries(
        Object.entries(output.headers ?? {})
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]) => [k.toLowerCase(), String(v)]),
      ),
      // A copy: examples are shared with the cached operations.
      body: output.body === undefined ? null : structuredClone(output.body),
    };
    if ([204, 205, 304].includes(response.statusCode)) {
      delete response.headers['content-type'];
      response.body = null;
    }
    return this.applyState(request, product.id, operations, method, path, {
      response,
      body: prepared.body,
    });
  }

  /**
   * A request for an operation filled with sample data: the spec's
   * examples where it has them, otherwise values sampled from the schema.
   * Covers path parameters, required query/header parameters (and optional
   * ones with an example) and the request body.
   */
  async sampleRequest(
    productId: string,
    operationId: string,
  ): Promise<SampleRequest> {
    const { product, operations } = await this.load(productId);
    const op = product.operations.find(o => o.operationId === operationId);
    if (!op) {
      throw new NotFoundError(
        `product '${productId}' has no operation '${operationId}'`,
      );
    }
    const httpOp = operations.find(
      o => o.method.toUpperCase() === op.method && o.path === op.path,
    );
    const known = (where: string, name: string) =>
      op.parameters.find(p => p.in === where && p.name === name);
    const valueOf = (where: string, param: any): unknown => {
      const fromDetail = known(where, param.name)?.example;
      if (fromDetail !== undefined) return fromDetail;
      const example = firstExample(param.examples);
      if (example !== undefined) return example;
      if (param.schema) return this.sampleSchema(param.schema, httpOp);
      return 'sample';
    };

    const pathParams: Record<string, string> = {};
    for (const param of httpOp?.request?.path ?? []) {
      pathParams[param.name] = asParamString(valueOf('path', param));
    }
    for (const name of op.path.match(/\{([^{}/]+)\}/g) ?? []) {
      const key = name.slice(1, -1);
      pathParams[key] ??= 'sample';
    }
    const query: Record<string, string | string[]> = {};
    for (const param of httpOp?.request?.query ?? []) {
      const detail = known('query', param.name);
      if (!param.required && detail?.example === undefined) continue;
      const value = valueOf('query', param);
      query[param.name] =
        Array.isArray(value) && param.explode !== false
          ? value.map(asParamString)
          : asParamString(value);
    }
    const headers: Record<string, string> = {};
    for (const param of httpOp?.request?.headers ?? []) {
      const detail = known('header', param.name);
      if (!param.required && detail?.example === undefined) continue;
      headers[param.name.toLowerCase()] = asParamString(
        valueOf('header', param),
      );
    }

    let body: unknown;
    let contentType: string | undefined;
    const contents = httpOp?.request?.body?.contents ?? [];
    if (op.requestBody || contents.length) {
      const content =
        contents.find(c => /json/i.test(c.mediaType)) ?? contents[0];
      contentType = op.requestBody?.contentType ?? content?.mediaType;
      body = op.requestBody?.example;
      if (body === undefined) body = firstExample(content?.examples as any);
      if (body === undefined && content?.schema) {
        body = this.sampleSchema(content.schema, httpOp, true);
      }
      if (contentType) headers['content-type'] = contentType;
    }

    return {
      operationId,
      method: op.method,
      pathTemplate: op.path,
      path: op.path.replace(/\{([^{}/]+)\}/g, (_m, name: string) =>
        encodePathSegment(pathParams[name]),
      ),
      pathParams,
      query,
      headers,
      ...(contentType ? { contentType } : {}),
      ...(body !== undefined ? { body } : {}),
    };
  }

  /** Prism operations of a spec, prepared once per spec hash. */
  async operationsFor(specText: string): Promise<HttpOperation[]> {
    const hash = hashSpecText(specText);
    let pending = this.cache.get(hash);
    if (pending) {
      this.cache.delete(hash);
      this.cache.set(hash, pending);
      return pending;
    }
    pending = (async () => {
      const { operations, changes } = await prepareOperations(
        parseSpecText(specText),
      );
      if (changes.length) {
        this.logger?.info(
          `Mock sandbox adjusted spec ${hash.slice(0, 12)}: ${changes
            .slice(0, 10)
            .join('; ')}${changes.length > 10 ? '; …' : ''}`,
        );
      }
      return operations;
    })();
    this.cache.set(hash, pending);
    pending.catch(() => this.cache.delete(hash));
    while (this.cache.size > this.maxCachedSpecs) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
    return pending;
  }

  private async load(
    productId: string,
  ): Promise<{ product: ProductDetail; operations: HttpOperation[] }> {
    const product = await this.products.get(productId);
    if (!product) throw new NotFoundError(`product '${productId}' not found`);
    if (product.sandboxUrl) {
      throw new InputError(
        `product '${productId}' has its own sandbox at ${product.sandboxUrl}; the built-in mock only serves products without one`,
      );
    }
    const specText = await this.products.getSpecText(productId);
    if (!specText) {
      throw new NotFoundError(`product '${productId}' has no spec`);
    }
    try {
      return { product, operations: await this.operationsFor(specText) };
    } catch (error) {
      if ((error as Error).name === 'InputError') throw error;
      throw new InputError(
        `the spec of product '${productId}' cannot be mocked: ${
          (error as Error).message
        }`,
      );
    }
  }

  private sampleSchema(
    schema: unknown,
    document: unknown,
    skipReadOnly = false,
  ): unknown {
    try {
      return sample(
        schema as any,
        {
          skipReadOnly,
          skipWriteOnly: !skipReadOnly,
          quiet: true,
          ticks: 2500,
        },
        document as object,
      );
    } catch {
      return undefined;
    }
  }

  private checkPath(path: unknown): string {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new InputError('path must be a string starting with /');
    }
    if (path.length > 2048) {
      throw new InputError('path is longer than 2048 characters');
    }
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      throw new InputError('path contains a malformed percent-encoding');
    }
    if (CONTROL.test(path) || CONTROL.test(decoded)) {
      throw new InputError(
        'path contains a control character (CR, LF, NUL or similar)',
      );
    }
    if (/[?#\\]/.test(path)) {
      throw new InputError(
        'path must not contain ?, # or \\; pass query parameters separately',
      );
    }
    return path;
  }

  private normaliseHeaders(
    raw: MockSandboxRequest['headers'],
  ): Record<string, string> {
    const headers: Record<string, string> = {};
    const entries = Object.entries(raw ?? {});
    if (entries.length > 100) throw new InputError('too many headers');
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      if (CONTROL.test(name) || CONTROL.test(text.replace(/\t/g, ' '))) {
        throw new InputError(
          `header '${JSON.stringify(name).slice(
            1,
            -1,
          )}' contains a control character (CR, LF, NUL or similar)`,
        );
      }
      if (text.length > 8192) {
        throw new InputError(`header '${name}' is longer than 8192 characters`);
      }
      headers[name.toLowerCase()] = text;
    }
    delete headers['content-length'];
    return headers;
  }

  private normaliseQuery(
    raw: MockSandboxRequest['query'],
  ): Record<string, string | string[]> {
    const query: Record<string, string | string[]> = {};
    const entries = Object.entries(raw ?? {});
    if (entries.length > 100) {
      throw new InputError('too many query parameters');
    }
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      const values = (Array.isArray(value) ? value : [value]).map(String);
      if (CONTROL.test(name) || values.some(v => CONTROL.test(v))) {
        throw new InputError(
          `query parameter '${JSON.stringify(name).slice(
            1,
            -1,
          )}' contains a control character (CR, LF, NUL or similar)`,
        );
      }
      query[name] = Array.isArray(value) ? values : values[0];
    }
    return query;
  }

  /** Sets Content-Type/-Length and parses JSON text, as a server would. */
  private prepareBody(
    body: unknown,
    headers: Record<string, string>,
  ): { body: unknown } | { problem: MockSandboxResponse } {
    if (body === undefined || body === null) return { body: undefined };
    let contentType = headers['content-type'];
    const isJson = (type?: string) => !type || /[/+]json\b/i.test(type);
    let serialized: string;
    let parsed: unknown = body;
    if (typeof body === 'string') {
      serialized = body;
      // The sandbox UI sends JSON; other types must say so.
      contentType ??= 'application/json';
      if (isJson(contentType)) {
        try {
          parsed = JSON.parse(body);
        } catch (error) {
          return {
            problem: validationProblem([
              {
                path: ['body'],
                code: 'parse',
                message: `Request body is not valid JSON: ${
                  (error as Error).message
                }`,
              },
            ]),
          };
        }
      }
    } else if (/x-www-form-urlencoded/i.test(contentType ?? '')) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(isPlainObject(body) ? body : {})) {
        form.append(k, asParamString(v));
      }
      serialized = form.toString();
      parsed = serialized;
    } else {
      serialized = JSON.stringify(body);
      contentType ??= 'application/json';
    }
    const bytes = Buffer.byteLength(serialized);
    if (bytes > this.maxBodyBytes) {
      throw new InputError(
        `request body is larger than ${this.maxBodyBytes} bytes`,
      );
    }
    headers['content-type'] = contentType;
    headers['content-length'] = String(bytes);
    return { body: parsed };
  }

  private fromPrismError(
    error: {
      name?: string;
      message?: string;
      status?: number;
      detail?: string;
      additional?: { validation?: Diagnostic[] };
    },
    context: {
      method: string;
      path: string;
      productId: string;
      prefer: MockPreferences;
      operation?: HttpOperation;
    },
  ): MockSandboxResponse {
    const type = String(error.name ?? '').split('#')[1] ?? '';
    const { method, path, productId, prefer, operation } = context;
    switch (type) {
      case 'NO_PATH_MATCHED_ERROR':
      case 'NO_RESOURCE_PROVIDED_ERROR':
        throw new NotFoundError(
          `${method} ${path} matches no operation of product '${productId}'`,
        );
      case 'NO_METHOD_MATCHED_ERROR':
        throw new NotFoundError(
          `${path} has no ${method} operation in product '${productId}'`,
        );
      case 'UNPROCESSABLE_ENTITY':
        return validationProblem(error.additional?.validation ?? [], operation);
      case 'INVALID_CONTENT_TYPE':
        return validationProblem(
          [{ code: 415, message: error.detail || 'Invalid content type' }],
          operation,
        );
      case 'NOT_FOUND':
      case 'NOT_ACCEPTABLE':
        if (prefer.code || prefer.exampleKey) {
          throw new InputError(
            `the Prefer header cannot be honoured: ${error.detail}`,
          );
        }
        return problem(
          error.status ?? 404,
          error.message ?? '',
          error.detail ?? '',
        );
      default:
        if (typeof error.status === 'number') {
          return problem(
            error.status,
            error.message ?? 'Mock error',
            error.detail ?? '',
          );
        }
        throw new InputError(
          `the mock could not answer ${method} ${path}: ${error.message}`,
        );
    }
  }

  /**
   * The create-then-get demo: a POST to a collection that has a
   * `GET {collection}/{id}` stores what was posted under a fresh id; GET,
   * PUT, PATCH and DELETE of that item then see it. Scoped by stateKey.
   */
  private applyState(
    request: MockSandboxRequest,
    productId: string,
    operations: HttpOperation[],
    method: string,
    path: string,
    { response, body }: { response: MockSandboxResponse; body: unknown },
  ): MockSandboxResponse {
    const state = this.state;
    const stateKey = request.stateKey;
    if (!state || !stateKey) return response;
    if (response.statusCode < 200 || response.statusCode > 299) return response;
    const op = matchOperation(operations, method, path);
    if (!op) return response;
    const trimmed = path.replace(/\/+$/, '');

    if (method === 'POST') {
      const collection = op.path.replace(/\/+$/, '');
      const item = operations.find(
        o =>
          o.method.toUpperCase() === 'GET' &&
          new RegExp(
            `^${collection.replace(
              /[.*+?^${}()|[\]\\]/g,
              '\\$&',
            )}/\\{[^{}/]+\\}$`,
          ).test(o.path),
      );
      if (!item || !isPlainObject(response.body)) return response;
      const paramName = /\{([^{}/]+)\}$/.exec(item.path)![1];
      const idField = paramName in response.body ? paramName : 'id';
      const current = response.body[idField];
      let id: string | number;
      if (typeof current === 'number') id = state.nextNumber();
      else if (typeof current === 'string' && UUID.test(current))
        id = randomUUID();
      else id = `mock-${randomBytes(4).toString('hex')}`;
      const stored = {
        ...response.body,
        ...(isPlainObject(body) ? body : {}),
        [idField]: id,
      };
      if (
        !state.set(
          MockState.key([stateKey, productId, trimmed, String(id)]),
          stored,
        )
      ) {
        return response;
      }
      return {
        ...response,
        headers: {
          ...response.headers,
          location: `${trimmed}/${encodePathSegment(String(id))}`,
        },
        body: stored,
      };
    }

    const itemMatch = /^(.*)\/\{([^{}/]+)\}$/.exec(op.path);
    if (!itemMatch) return response;
    const hasCollection = operations.some(
      o =>
        o.method.toUpperCase() === 'POST' &&
        o.path.replace(/\/+$/, '') === itemMatch[1],
    );
    if (!hasCollection) return response;
    const segments = trimmed.split('/');
    let id = segments.pop() ?? '';
    try {
      id = decodeURIComponent(id);
    } catch {
      return response;
    }
    const key = MockState.key([stateKey, productId, segments.join('/'), id]);
    const stored = state.get(key);
    if (!isPlainObject(stored)) return response;
    const idField = itemMatch[2] in stored ? itemMatch[2] : 'id';
    const json = { ...response.headers, 'content-type': 'application/json' };
    switch (method) {
      case 'GET':
        return { ...response, headers: json, body: stored };
      case 'PUT':
      case 'PATCH': {
        const next =
          method === 'PUT'
            ? {
                ...(isPlainObject(body) ? body : {}),
                [idField]: stored[idField],
              }
            : {
                ...stored,
                ...(isPlainObject(body) ? body : {}),
                [idField]: stored[idField],
              };
        state.set(key, next);
        return response.statusCode === 204
          ? response
          : { ...response, headers: json, body: next };
      }
      case 'DELETE':
        state.delete(key);
        return response;
      default:
        return response;
    }
  }
}
