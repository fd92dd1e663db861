import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 7.6.1) and ones undici refuses to forward. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
];

/** Also never forwarded upstream: the partner's key and what we rewrite. */
const NOT_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'expect',
  'host',
  'authorization',
  'x-api-key',
  'x-forwarded-for',
]);

const NOT_RETURNED = new Set(HOP_BY_HOP);

/** Tokens of a `Connection` header other than the usual two name more hop-by-hop headers. */
function connectionTokens(
  value: string | string[] | undefined,
): string[] | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (text === 'keep-alive' || text === 'close') return undefined;
  const tokens = text
    .split(',')
    .map(token => token.trim().toLowerCase())
    .filter(token => token && token !== 'keep-alive' && token !== 'close');
  return tokens.length > 0 ? tokens : undefined;
}

/** What the gateway tells the upstream about the call. */
export interface PorticoRequestHeaders {
  'x-portico-partner': string;
  'x-portico-key-id': string;
  'x-portico-plan': string;
  'x-portico-request-id': string;
  'x-portico-timestamp': string;
  'x-portico-signature': string;
}

/**
 * Headers for the upstream: the partner's minus hop-by-hop ones, the key
 * headers and any `x-portico-*` the partner tried to set, plus ours. A flat
 * `[name, value, ...]` list, which undici and Node take as is: no header
 * object to build, copy and enumerate again on every call.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  host: string,
  clientIp: string | undefined,
  portico: PorticoRequestHeaders,
): string[] {
  const extra = connectionTokens(incoming.connection);
  const out: string[] = [];
  for (const name in incoming) {
    if (NOT_FORWARDED.has(name) || name.startsWith('x-portico-')) continue;
    if (extra !== undefined && extra.includes(name)) continue;
    pushHeader(out, name, incoming[name]);
  }
  out.push('host', host);
  const forwarded = incoming['x-forwarded-for'];
  if (clientIp !== undefined) {
    out.push(
      'x-forwarded-for',
      forwarded ? `${forwarded}, ${clientIp}` : clientIp,
    );
  }
  out.push(
    'x-portico-partner',
    portico['x-portico-partner'],
    'x-portico-key-id',
    portico['x-portico-key-id'],
    'x-portico-plan',
    portico['x-portico-plan'],
    'x-portico-request-id',
    portico['x-portico-request-id'],
    'x-portico-timestamp',
    portico['x-portico-timestamp'],
    'x-portico-signature',
    portico['x-portico-signature'],
  );
  return out;
}

/** A header that came as a list (e.g. `set-cookie`) goes out as one line per value. */
function pushHeader(
  out: string[],
  name: string,
  value: string | string[] | undefined,
): void {
  if (value === undefined) return;
  if (typeof value === 'string') {
    out.push(name, value);
    return;
  }
  for (const item of value) out.push(name, item);
}

/**
 * The upstream response's headers minus hop-by-hop ones, plus `extra`
 * (which replaces the upstream's headers of the same names), as a flat
 * `[name, value, ...]` list for `writeHead`.
 */
export function downstreamResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  extra: Record<string, string>,
): string[] {
  const named = connectionTokens(upstream.connection);
  const out: string[] = [];
  for (const name in upstream) {
    // Ours win: an upstream's own RateLimit-* or request id is not repeated.
    if (NOT_RETURNED.has(name) || extra[name] !== undefined) continue;
    if (named !== undefined && named.includes(name)) continue;
    pushHeader(out, name, upstream[name]);
  }
  for (const name in extra) {
    if (extra[name] !== undefined) out.push(name, extra[name]);
  }
  return out;
}
