/**
 * Every refusal a partner can see, with a stable code. Codes are API: clients
 * branch on them, so they are never renamed.
 */
export type ProblemCode =
  | 'missing_key'
  | 'invalid_key'
  | 'expired_key'
  | 'revoked_key'
  | 'wrong_environment'
  | 'not_scoped'
  | 'ip_not_allowed'
  | 'partner_suspended'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'invalid_path'
  | 'unknown_product'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'service_unavailable';

/** Status and fixed wording of each code; the detail never names the key. */
export const PROBLEMS: Readonly<
  Record<ProblemCode, { status: number; title: string; detail: string }>
> = {
  missing_key: {
    status: 401,
    title: 'API key required',
    detail: 'Send the key as "Authorization: Bearer <key>" or "X-API-Key".',
  },
  invalid_key: {
    status: 401,
    title: 'Invalid API key',
    detail: 'The API key is not valid.',
  },
  expired_key: {
    status: 401,
    title: 'API key expired',
    detail: 'The API key has expired; create a new one.',
  },
  revoked_key: {
    status: 401,
    title: 'API key revoked',
    detail: 'The API key was revoked or rotated and its grace period ended.',
  },
  wrong_environment: {
    status: 403,
    title: 'Wrong environment',
    detail:
      'Sandbox keys (sk_test_) and production keys (sk_live_) only work in their own environment.',
  },
  not_scoped: {
    status: 403,
    title: 'Key not scoped to this product',
    detail:
      'The API key is not scoped to this product, or the partner has no active subscription to it.',
  },
  ip_not_allowed: {
    status: 403,
    title: 'IP address not allowed',
    detail: "The caller's IP address is not on the key's allow list.",
  },
  partner_suspended: {
    status: 403,
    title: 'Partner suspended',
    detail: 'The partner account is suspended.',
  },
  rate_limited: {
    status: 429,
    title: 'Rate limit exceeded',
    detail:
      'Too many requests per second for this plan; retry after the delay in Retry-After.',
  },
  quota_exceeded: {
    status: 429,
    title: 'Monthly quota exceeded',
    detail:
      "The plan's monthly call quota is used up; it resets at the start of next month (UTC).",
  },
  invalid_path: {
    status: 400,
    title: 'Invalid path',
    detail:
      'The request path is malformed or tries to leave the API base path.',
  },
  unknown_product: {
    status: 404,
    title: 'Unknown product',
    detail: 'No API product is published under this path.',
  },
  upstream_unavailable: {
    status: 502,
    title: 'Upstream unavailable',
    detail: 'The API could not be reached.',
  },
  upstream_timeout: {
    status: 504,
    title: 'Upstream timeout',
    detail: 'The API did not answer in time.',
  },
  service_unavailable: {
    status: 503,
    title: 'Service unavailable',
    detail:
      'The gateway cannot verify or limit calls right now; retry shortly.',
  },
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://portico.dev/problems/';

/** RFC 9457 problem document of a code, as the JSON text to send. */
export function problemBody(code: ProblemCode, requestId?: string): string {
  const problem = PROBLEMS[code];
  return JSON.stringify({
    type: PROBLEM_TYPE_BASE + code,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code,
    ...(requestId ? { requestId } : {}),
  });
}
