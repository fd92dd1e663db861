import type { KeyEnvironment } from '../keys';

/** One call to admit. */
export interface LimitRequest {
  partnerId: string;
  keyId: string;
  productId: string;
  environment: KeyEnvironment;
  ratePerSecond: number;
  /** Calls allowed at once from idle. Default: `ratePerSecond`, at least 1. */
  burst?: number;
  /** Free plans: billable calls per UTC month, hard stop. */
  hardMonthlyQuota?: number;
  /** Epoch ms; defaults to the limiter's clock. Injected by tests. */
  now?: number;
}

export type LimitDenyReason = 'rate_limited' | 'quota_exceeded';

/**
 * The verdict, with what the `RateLimit-*` headers report: of the rate and
 * the quota, the one closest to exhaustion.
 */
export interface LimitDecision {
  allowed: boolean;
  reason?: LimitDenyReason;
  limit: number;
  remaining: number;
  /** Seconds until the burst is full again, or until the quota resets. */
  resetSeconds: number;
  /** Set when denied. */
  retryAfterSeconds?: number;
  /** The clock value used; the meter buckets the call by it. */
  at: number;
  /**
   * The admission was counted in the monthly quota counter the meter also
   * writes to (shared in Redis): the meter then only refunds it if the call
   * ends 5xx. False for the local fallback limiter.
   */
  quotaCounted: boolean;
  /** The plan has a monthly quota counter. */
  hasQuota: boolean;
}

export interface RateLimiter {
  check(request: LimitRequest): Promise<LimitDecision>;
  /**
   * The decision, when it needs no waiting (a lease held in this process,
   * an in-process limiter); otherwise undefined, and `check` decides. A
   * gateway whose key and admission are both at hand then forwards the
   * call without a promise in between.
   */
  checkCached?(request: LimitRequest): LimitDecision | undefined;
}
