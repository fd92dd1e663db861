import { InputError } from '@backstage/errors';

export { resolveAndCheckHost } from './hostCheck';
export type { CheckedHost, HostCheckOptions } from './hostCheck';

/** A scalar a user may give for a parameter. */
export type ParamValue = string | number | boolean;

/** Limits of what a user may send through the sandbox. */
export interface TargetLimits {
  /** Longest path parameter value, in characters. Default 1024. */
  maxParamLength: number;
  /** Most query parameters (counting repeated names). Default 100. */
  maxQueryParams: number;
  /** Longest query name or value, in characters. Default 4096. */
  maxQueryValueLength: number;
  /** Longest final URL, in characters. Default 8192. */
  maxUrlLength: number;
  /** Most user headers. Default 50. */
  maxHeaders: number;
  /** Longest header value, in characters. Default 8192. */
  maxHeaderValueLength: number;
  /** Total size of user header names and values. Default 16384. */
  maxHeaderBytes: number;
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes: number;
}

export const DEFAULT_TARGET_LIMITS: TargetLimits = {
  maxParamLength: 1024,
  maxQueryParams: 100,
  maxQueryValueLength: 4096,
  maxUrlLength: 8192,
  maxHeaders: 50,
  maxHeaderValueLength: 8192,
  maxHeaderBytes: 16384,
  maxBodyBytes: 1024 * 1024,
};

export interface BuildTargetInput {
  /** The product's sandbox base URL (operator-controlled). */
  baseUrl: string;
  /** HTTP method of the operation. Default GET. */
  method?: string;
  /** The operation's path template from the spec, e.g. `/parcels/{id}`. */
  pathTemplate: string;
  pathParams?: Record<string, ParamValue | undefined>;
  query?: Record<string, ParamValue | ParamValue[] | undefined>;
  /** Headers from the user; unsafe ones are dropped, invalid ones refused. */
  headers?: Record<string, string | string[] | undefined>;
  /** Headers the backend adds (credentials of the sandbox key, tracing); set last. */
  trustedHeaders?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  limits?: Partial<TargetLimits>;
}

/** A request that is safe to send to the product's sandbox. */
export interface BuiltRequest {
  method: string;
  /** The final URL: same origin as the base URL, under its path. */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body?: string;
  /** Lower-cased names of user headers that were removed, for the UI to show. */
  droppedHeaders: string[];
}

const ALLOWED_METHODS = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
]);

/** RFC 9110 token characters. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** C0 controls (CR, LF, NUL, …), DEL, C1 controls and Unicode line breaks. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Header values may contain HTAB but nothing else below 0x20. */
// eslint-disable-next-line no-control-regex
const HEADER_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Characters that act as (or normalise to) a slash or a dot elsewhere. */
const SLASH_LOOKALIKES = /[\u2215\u2044\u29f8\u29f9\ufe68\uff0f\uff3c]/;
const DOT_LOOKALIKES = /[\u2024\u2025\u2026\u3002\uff0e\uff61\ufe52]/;

/**
 * Headers a user may not set: hop-by-hop headers, ones that change where or
 * as whom the request goes, and ones the backend sets itself.
 */
const DROPPED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'cookie',
  'content-length',
  'expect',
  'forwarded',
  'via',
  'max-forwards',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'x-original-url',
  'x-rewrite-url',
  'x-api-key',
]);
const DROPPED_PREFIXES = ['proxy-', 'x-forwarded-', 'x-portico-'];

function isDroppedHeader(name: string): boolean {
  return (
    DROPPED_HEADERS.has(name) ||
    DROPPED_PREFIXES.some(prefix => name.startsWith(prefix))
  );
}

/** Percent-decodes until stable (at most 5 rounds), keeping every round. */
function decodedForms(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      // Malformed escapes: decode the well-formed ones only.
      next = current.replace(/%[0-9a-fA-F]{2}/g, m =>
        String.fromCharCode(parseInt(m.slice(1), 16)),
      );
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms.flatMap(form => [form, form.normalize('NFKC')]);
}

/** Stricter than encodeURIComponent: also encodes `!'()*`. */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function checkPathParam(name: string, raw: string, limits: TargetLimits) {
  const label = `path parameter '${name}'`;
  if (raw.length === 0) throw new InputError(`${label} must not be empty`);
  if (raw.length > limits.maxParamLength) {
    throw new InputError(
      `${label} is longer than ${limits.maxParamLength} characters`,
    );
  }
  for (const form of decodedForms(raw)) {
    if (CONTROL.test(form)) {
      throw new InputError(
        `${label} contains a control character (CR, LF, NUL or similar), also refused when percent-encoded`,
      );
    }
    if (/[/\\]/.test(form) || SLASH_LOOKALIKES.test(form)) {
      throw new InputError(
        `${label} must not contain '/' or '\\' (also refused when percent-encoded or as a Unicode look-alike)`,
      );
    }
    if (form.includes('..') || DOT_LOOKALIKES.test(form) || form === '.') {
      throw new InputError(
        `${label} must not be '.' or contain '..' (also refused when percent-encoded or as a Unicode look-alike)`,
      );
    }
  }
}

function checkTemplate(template: string): string[] {
  const problem = (why: string) =>
    new InputError(`operation path '${template}' is not usable: ${why}`);
  if (!template.startsWith('/')) throw problem('it must start with /');
  if (CONTROL.test(template) || /[\s\\?#%]/.test(template)) {
    throw problem('it contains a control character, space, \\, ?, # or %');
  }
  const names: string[] = [];
  const literal = template.replace(/\{([^{}/]*)\}/g, (_m, name: string) => {
    if (!name) throw problem('it has an empty {} parameter');
    names.push(name);
    return 'x';
  });
  if (/[{}]/.test(literal)) throw problem('its braces are unbalanced');
  const segments = literal.split('/').slice(1);
  if (segments.some((s, i) => s === '' && i !== segments.length - 1)) {
    throw problem('it contains //');
  }
  if (segments.some(s => s === '.' || s === '..')) {
    throw problem('it contains a . or .. segment');
  }
  return names;
}

function parseBaseUrl(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new InputError(
      `sandbox base URL '${baseUrl}' is not an absolute URL`,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new InputError(
      `sandbox base URL must use http or https, not ${base.protocol}`,
    );
  }
  if (base.username || base.password) {
    throw new InputError('sandbox base URL must not contain credentials');
  }
  if (base.hash) {
    throw new InputError('sandbox base URL must not contain a fragment');
  }
  return base;
}

function scalar(where: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new InputError(`${where} must be a string, number or boolean`);
}

function buildQuery(
  base: URL,
  query: BuildTargetInput['query'],
  limits: TargetLimits,
): string {
  const pairs: string[] = [];
  const reserved = new Set(base.searchParams.keys());
  let count = 0;
  for (const [name, rawValue] of Object.entries(query ?? {})) {
    if (rawValue === undefined) continue;
    if (!name) throw new InputError('query parameter names must not be empty');
    if (CONTROL.test(name)) {
      throw new InputError(
        'a query parameter name contains a control character (CR, LF, NUL or similar)',
      );
    }
    if (name.length > limits.maxQueryValueLength) {
      throw new InputError(
        `a query parameter name is longer than ${limits.maxQueryValueLength} characters`,
      );
    }
    if (reserved.has(name)) {
      throw new InputError(
        `query parameter '${name}' is set by the sandbox base URL and cannot be overridden`,
      );
    }
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    for (const v of values) {
      const value = scalar(`query parameter '${name}'`, v);
      if (CONTROL.test(value)) {
        throw new InputError(
          `query parameter '${name}' contains a control character (CR, LF, NUL or similar)`,
        );
      }
      if (value.length > limits.maxQueryValueLength) {
        throw new InputError(
          `query parameter '${name}' is longer than ${limits.maxQueryValueLength} characters`,
        );
      }
      if (++count > limits.maxQueryParams) {
        throw new InputError(
          `at most ${limits.maxQueryParams} query parameters are allowed`,
        );
      }
      pairs.push(`${encodePathSegment(name)}=${encodePathSegment(value)}`);
    }
  }
  const existing = base.search.replace(/^\?/, '');
  const all = [existing, ...pairs].filter(Boolean).join('&');
  return all ? `?${all}` : '';
}

function buildHeaders(
  input: BuildTargetInput,
  limits: TargetLimits,
): { headers: Record<string, string>; dropped: string[] } {
  const headers: Record<string, string> = {};
  const dropped: string[] = [];
  const entries = Object.entries(input.headers ?? {}).filter(
    ([, v]) => v !== undefined,
  );
  if (entries.length > limits.maxHeaders) {
    throw new InputError(`at most ${limits.maxHeaders} headers are allowed`);
  }
  // Headers listed in a user's Connection header are hop-by-hop as well.
  const connectionListed = new Set<string>();
  for (const [name, value] of entries) {
    if (name.toLowerCase() === 'connection') {
      for (const v of [value].flat()) {
        for (const token of String(v).split(',')) {
          connectionListed.add(token.trim().toLowerCase());
        }
      }
    }
  }
  let bytes = 0;
  for (const [rawName, rawValue] of entries) {
    if (!TOKEN.test(rawName)) {
      throw new InputError(
        `header name '${JSON.stringify(rawName).slice(
          1,
          -1,
        )}' is not a valid HTTP header name`,
      );
    }
    const name = rawName.toLowerCase();
    const values: unknown[] = [rawValue].flat();
    for (const value of values) {
      if (typeof value !== 'string') {
        throw new InputError(`header '${rawName}' must be a string`);
      }
      if (HEADER_CONTROL.test(value)) {
        throw new InputError(
          `header '${rawName}' contains a control character (CR, LF, NUL or similar)`,
        );
      }
      if (value.length > limits.maxHeaderValueLength) {
        throw new InputError(
          `header '${rawName}' is longer than ${limits.maxHeaderValueLength} characters`,
        );
      }
      bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
    }
    if (bytes > limits.maxHeaderBytes) {
      throw new InputError(
        `headers are larger than ${limits.maxHeaderBytes} bytes in total`,
      );
    }
    if (isDroppedHeader(name) || connectionListed.has(name)) {
      if (!dropped.includes(name)) dropped.push(name);
      continue;
    }
    const joined = (values as string[]).map(v => v.trim()).join(', ');
    headers[name] = headers[name] ? `${headers[name]}, ${joined}` : joined;
  }
  for (const [rawName, value] of Object.entries(input.trustedHeaders ?? {})) {
    if (!TOKEN.test(rawName) || HEADER_CONTROL.test(value)) {
      throw new InputError(`backend header '${rawName}' is not valid`);
    }
    headers[rawName.toLowerCase()] = value;
  }
  return { headers, dropped: dropped.sort() };
}

function buildBody(
  input: BuildTargetInput,
  headers: Record<string, string>,
  method: string,
  limits: TargetLimits,
): string | undefined {
  if (input.body === undefined || input.body === null) return undefined;
  if (method === 'GET' || method === 'HEAD') {
    throw new InputError(`a ${method} request cannot have a body`);
  }
  let body: string;
  if (typeof input.body === 'string') {
    body = input.body;
  } else {
    body = JSON.stringify(input.body);
    if (body === undefined) throw new InputError('body is not serialisable');
    headers['content-type'] ??= 'application/json';
  }
  if (Buffer.byteLength(body) > limits.maxBodyBytes) {
    throw new InputError(
      `request body is larger than ${limits.maxBodyBytes} bytes`,
    );
  }
  return body;
}

/**
 * Builds the request to a product's sandbox from an operation of its spec.
 *
 * The URL is the base URL's origin and path, then the path template with
 * each parameter percent-encoded into it: a user never supplies a path, so
 * nothing they send can change the scheme, host or port or leave the base
 * path. Parameters that could still be read as a path by a server that
 * decodes (`/`, `\`, `..` — percent-encoded any number of times or as Unicode
 * look-alikes) and control characters are refused with an InputError.
 *
 * User headers that are hop-by-hop, carry credentials or identity
 * (`Authorization`, `Cookie`, `X-API-Key`, `X-Forwarded-*`, `Proxy-*`,
 * `X-Portico-*`, `Host`, …) are dropped and reported in `droppedHeaders`;
 * invalid names, CR/LF/NUL in values and oversize headers are refused.
 */
export function buildTarget(input: BuildTargetInput): BuiltRequest {
  const limits = { ...DEFAULT_TARGET_LIMITS, ...input.limits };
  const method = (input.method ?? 'GET').toUpperCase();
  if (!ALLOWED_METHODS.has(method)) {
    throw new InputError(`method '${input.method}' is not allowed`);
  }
  const base = parseBaseUrl(input.baseUrl);
  const names = checkTemplate(input.pathTemplate);

  const params = input.pathParams ?? {};
  for (const name of Object.keys(params)) {
    if (params[name] !== undefined && !names.includes(name)) {
      throw new InputError(
        `path parameter '${name}' is not in the operation path '${input.pathTemplate}'`,
      );
    }
  }
  const path = input.pathTemplate.replace(
    /\{([^{}/]+)\}/g,
    (_m, name: string) => {
      const value = params[name];
      if (value === undefined) {
        throw new InputError(`path parameter '${name}' is missing`);
      }
      const raw = scalar(`path parameter '${name}'`, value);
      checkPathParam(name, raw, limits);
      return encodePathSegment(raw);
    },
  );

  const basePath = base.pathname.replace(/\/+$/, '');
  const search = buildQuery(base, input.query, limits);
  const url = `${base.origin}${basePath}${path}${search}`;
  if (url.length > limits.maxUrlLength) {
    throw new InputError(
      `the URL is longer than ${limits.maxUrlLength} characters`,
    );
  }

  // Defence in depth: whatever happened above, the parsed result must still
  // be the base origin, under the base path, with no dot segments.
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/');
  if (
    parsed.origin !== base.origin ||
    parsed.username ||
    parsed.password ||
    !(
      parsed.pathname === basePath || parsed.pathname.startsWith(`${basePath}/`)
    ) ||
    segments.some(s => /^(\.|%2e){1,2}$/i.test(s))
  ) {
    throw new InputError(
      'the request would leave the sandbox base URL and was refused',
    );
  }

  const { headers, dropped } = buildHeaders(input, limits);
  const body = buildBody(input, headers, method, limits);
  return {
    method,
    url: parsed.href,
    headers,
    body,
    droppedHeaders: dropped,
  };
}
