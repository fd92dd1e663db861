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
 * headers and any `x-portico-*` the partner tried to set, plus ours.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  host: string,
  clientIp: string | undefined,
  portico: PorticoRequestHeaders,
): Record<string, string | string[]> {
  const extra = connectionTokens(incoming.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    if (NOT_FORWARDED.has(name) || name.startsWith('x-portico-')) continue;
    if (extra !== undefined && extra.includes(name)) continue;
    const value = incoming[name];
    if (value !== undefined) out[name] = value;
  }
  out.host = host;
  const forwarded = incoming['x-forwarded-for'];
  if (clientIp !== undefined) {
    out['x-forwarded-for'] = forwarded ? `${forwarded}, ${clientIp}` : clientIp;
  }
  return Object.assign(out, portico);
}

/**
 * The upstream response's headers minus hop-by-hop ones, plus `extra`, as a
 * new object: deleting from undici's object would turn it into a slow
 * dictionary just before Node iterates it to write the head.
 */
export function downstreamResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  extra: Record<string, string>,
): Record<string, string | string[]> {
  const named = connectionTokens(upstream.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    if (NOT_RETURNED.has(name)) continue;
    if (named !== undefined && named.includes(name)) continue;
    const value = upstream[name];
    if (value !== undefined) out[name] = value;
  }
  return Object.assign(out, extra);
}
