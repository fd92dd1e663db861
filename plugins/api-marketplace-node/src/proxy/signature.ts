import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-portico-signature';
export const TIMESTAMP_HEADER = 'x-portico-timestamp';
const VERSION = 'v1=';

/** What the gateway vouches for on each proxied request. */
export interface SignedRequest {
  /** Unix seconds. */
  timestamp: number;
  partnerId: string;
  keyId: string;
  plan: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The request target as the upstream receives it, query included. */
  path: string;
}

function payload(request: SignedRequest): string {
  return `${request.timestamp}.${request.partnerId}.${request.keyId}.${request.plan}.${request.method}.${request.path}`;
}

/** `v1=<hex HMAC-SHA256>` over `timestamp.partner.keyId.plan.method.path`. */
export function signGatewayRequest(
  secret: string,
  request: SignedRequest,
): string {
  return (
    VERSION +
    createHmac('sha256', secret).update(payload(request)).digest('hex')
  );
}

export interface VerifyGatewaySignatureInput {
  /** Several secrets are tried in order, for rotation. */
  secret: string | readonly string[];
  headers: Record<string, string | string[] | undefined>;
  method: string;
  /** The request target as received (Node: `req.url`). */
  path: string;
  /** Default 300 s either way. */
  toleranceSeconds?: number;
  /** Epoch ms, for tests. */
  now?: number;
}

export type VerifyGatewaySignatureResult =
  | {
      ok: true;
      partnerId: string;
      keyId: string;
      plan: string;
      timestamp: number;
    }
  | { ok: false; reason: 'missing' | 'expired' | 'mismatch' };

function header(
  headers: VerifyGatewaySignatureInput['headers'],
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/**
 * For upstreams: checks that a request came through the Portico gateway and
 * that the partner, key and plan headers are the gateway's, not the caller's.
 */
export function verifyGatewaySignature(
  input: VerifyGatewaySignatureInput,
): VerifyGatewaySignatureResult {
  const signature = header(input.headers, SIGNATURE_HEADER);
  const timestampText = header(input.headers, TIMESTAMP_HEADER);
  const partnerId = header(input.headers, 'x-portico-partner');
  const keyId = header(input.headers, 'x-portico-key-id');
  const plan = header(input.headers, 'x-portico-plan');
  if (!signature || !timestampText || !partnerId || !keyId || !plan) {
    return { ok: false, reason: 'missing' };
  }
  const timestamp = Number(timestampText);
  const now = (input.now ?? Date.now()) / 1000;
  const tolerance = input.toleranceSeconds ?? 300;
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > tolerance) {
    return { ok: false, reason: 'expired' };
  }
  const presented = Buffer.from(signature);
  const secrets =
    typeof input.secret === 'string' ? [input.secret] : input.secret;
  const request = {
    timestamp,
    partnerId,
    keyId,
    plan,
    method: input.method.toUpperCase(),
    path: input.path,
  };
  for (const secret of secrets) {
    const expected = Buffer.from(signGatewayRequest(secret, request));
    if (
      expected.length === presented.length &&
      timingSafeEqual(expected, presented)
    ) {
      return { ok: true, partnerId, keyId, plan, timestamp };
    }
  }
  return { ok: false, reason: 'mismatch' };
}
