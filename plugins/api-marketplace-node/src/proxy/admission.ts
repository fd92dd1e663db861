import type { LimitRequest } from '../limit';
import type { VerifiedKey } from '../verify';

/** What the limiter is asked for a call made with a verified key. */
export function admissionOf(key: VerifiedKey, now?: number): LimitRequest {
  return {
    partnerId: key.partnerId,
    keyId: key.keyId,
    productId: key.productId,
    environment: key.environment,
    ratePerSecond: key.plan.ratePerSecond,
    hardMonthlyQuota: key.plan.hardMonthlyQuota,
    now,
  };
}
