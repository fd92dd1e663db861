import {
  IpAllowList,
  KeyEnvironment,
  VerifiableKey,
  VerifyResult,
} from '@portico/plugin-api-marketplace-node';

/**
 * The checks `KeyVerifier.verify` runs after the hash comparison, on a
 * record the caller is already entitled to (the signed-in partner's own
 * key, picked by id: the session authorises it, and only the hash of the
 * secret is stored). Same order and codes as the verifier, so a try-it call
 * is refused exactly as the gateway would refuse the key.
 */
export function verifyRecord(
  record: VerifiableKey | undefined,
  input: {
    productId: string;
    clientIp?: string;
    environment?: KeyEnvironment;
  },
  now: number = Date.now(),
): VerifyResult {
  if (!record) return { ok: false, code: 'invalid_key' };
  const time = (iso: string | undefined, absent: number) => {
    if (iso === undefined) return absent;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  if (
    record.status === 'revoked' ||
    (record.status === 'rotating' && now >= time(record.graceEndsAt, -Infinity))
  ) {
    return { ok: false, code: 'revoked_key' };
  }
  if (now >= time(record.expiresAt, Infinity)) {
    return { ok: false, code: 'expired_key' };
  }
  if (record.partnerStatus !== 'active') {
    return { ok: false, code: 'partner_suspended' };
  }
  if (
    input.environment !== undefined &&
    input.environment !== record.environment
  ) {
    return { ok: false, code: 'wrong_environment' };
  }
  const allow = IpAllowList.compile(record.allowedIps);
  if (allow !== undefined && !allow.allows(input.clientIp)) {
    return { ok: false, code: 'ip_not_allowed' };
  }
  const plan = record.plans[input.productId];
  if (plan === undefined || !record.productIds.includes(input.productId)) {
    return { ok: false, code: 'not_scoped' };
  }
  return {
    ok: true,
    keyId: record.id,
    partnerId: record.partnerId,
    environment: record.environment,
    productId: input.productId,
    plan,
  };
}
