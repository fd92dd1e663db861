import type { RequestHeaders } from './types';

/** A repeated header is ambiguous: joined, it fails the key format check. */
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The key a caller presented: `Authorization: Bearer <key>` first, then
 * `X-API-Key`. Other authorization schemes are not ours and are ignored.
 * Names are expected lower-cased, as Node, Envoy and NGINX hand them over.
 */
export function extractPresentedKey(
  headers: RequestHeaders,
): string | undefined {
  const authorization = single(headers.authorization);
  if (
    authorization !== undefined &&
    authorization.length > 7 &&
    authorization.charCodeAt(6) === 32 &&
    authorization.slice(0, 6).toLowerCase() === 'bearer'
  ) {
    return authorization.slice(7);
  }
  const apiKey = single(headers['x-api-key']);
  return apiKey ? apiKey : undefined;
}
