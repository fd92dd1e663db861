import { randomUUID } from 'node:crypto';
import type { KeyEnvironment } from '../keys';
import type { LimitDecision, RateLimiter } from '../limit';
import { PROBLEMS, ProblemCode, problemBody } from '../problems';
import type {
  RequestHeaders,
  VerifiedKey,
  VerifyInput,
  VerifyResult,
} from '../verify';
import { problemHeaders, rateLimitHeaders } from './respond';
import { signGatewayRequest } from './signature';
import { admissionOf } from './admission';

export interface VerifyRequestOptions {
  verifier: { verify(input: VerifyInput): Promise<VerifyResult> };
  limiter: RateLimiter;
  signingSecret: string;
  environment?: KeyEnvironment;
  now?: () => number;
}

export interface VerifyRequestInput {
  headers: RequestHeaders;
  productId: string;
  clientIp?: string;
  method: string;
  /** The target the upstream will receive; it is signed. Default `/`. */
  path?: string;
}

export interface VerifyRequestResult {
  /** 200, or the problem's 400/401/403/429/503. */
  status: number;
  /** On 200, the `X-Portico-*` headers to pass upstream; always rate limit headers once admitted. */
  headers: Record<string, string>;
  /** Problem document on refusal. */
  body?: string;
  key?: VerifiedKey;
  decision?: LimitDecision;
}

function refuse(
  code: ProblemCode,
  requestId: string,
  extra: Record<string, string> = {},
  decision?: LimitDecision,
): VerifyRequestResult {
  const body = problemBody(code, requestId);
  return {
    status: PROBLEMS[code].status,
    headers: { ...extra, ...problemHeaders(code, requestId, body) },
    body,
    decision,
  };
}

/**
 * External-gateway mode (NGINX `auth_request`, Envoy `ext_authz`): the edge
 * proxies, Portico only verifies and admits. The edge must drop the
 * partner's `Authorization`/`X-API-Key` and copy the returned headers
 * upstream. It sees the upstream status, Portico does not: unless the edge
 * reports it to a `UsageMeter`, 5xx calls stay counted as billable.
 */
export async function verifyRequest(
  options: VerifyRequestOptions,
  input: VerifyRequestInput,
): Promise<VerifyRequestResult> {
  const requestId = randomUUID();
  const verdict = await options.verifier.verify({
    headers: input.headers,
    productId: input.productId,
    clientIp: input.clientIp,
    environment: options.environment,
  });
  if (!verdict.ok) return refuse(verdict.code, requestId);
  let decision: LimitDecision;
  try {
    decision = await options.limiter.check(
      admissionOf(verdict, options.now?.()),
    );
  } catch {
    return refuse('service_unavailable', requestId);
  }
  const limits = rateLimitHeaders(decision);
  if (!decision.allowed) {
    return refuse(
      decision.reason ?? 'rate_limited',
      requestId,
      limits,
      decision,
    );
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const method = input.method.toUpperCase();
  return {
    status: 200,
    headers: {
      ...limits,
      'x-portico-partner': verdict.partnerId,
      'x-portico-key-id': verdict.keyId,
      'x-portico-plan': verdict.plan.plan,
      'x-portico-request-id': requestId,
      'x-portico-timestamp': String(timestamp),
      'x-portico-signature': signGatewayRequest(options.signingSecret, {
        timestamp,
        partnerId: verdict.partnerId,
        keyId: verdict.keyId,
        plan: verdict.plan.plan,
        method,
        path: input.path ?? '/',
      }),
    },
    key: verdict,
    decision,
  };
}
