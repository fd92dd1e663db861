import { InMemoryUsageStore } from '../meter/InMemoryUsageStore';
import { USAGE_FIELDS } from '../meter/usageTypes';
import { monthOf, rateKey } from '../keyspace';
import {
  LimitReply,
  NO_RATE_REPLY,
  decisionFromReply,
  gcraParams,
} from './gcra';
import type { LimitDecision, LimitRequest, RateLimiter } from './types';

export interface InMemoryRateLimiterOptions {
  /**
   * The usage store the meter also writes to (embedded default): admissions
   * then count against the quota there. Without it the limiter keeps private
   * counters and reports `quotaCounted: false`, so the meter brings the
   * shared quota up to date instead: that is the fallback mode while Redis
   * is unreachable.
   */
  usage?: InMemoryUsageStore;
  now?: () => number;
  /** Rate states kept before idle ones are swept. Default 100,000. */
  maxKeys?: number;
}

/**
 * The Redis script's semantics in process memory (same GCRA, same quota and
 * counting order), for a single instance: the embedded default and the local
 * fallback when Redis is unreachable.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly tats = new Map<string, number>();
  private readonly usage: InMemoryUsageStore;
  private readonly shared: boolean;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: InMemoryRateLimiterOptions = {}) {
    this.usage = options.usage ?? new InMemoryUsageStore({ now: options.now });
    this.shared = options.usage !== undefined;
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  async check(request: LimitRequest): Promise<LimitDecision> {
    return this.checkCached(request);
  }

  /** Always decided at once: the state is in this process. */
  checkCached(request: LimitRequest): LimitDecision {
    const at = Math.floor(request.now ?? this.now());
    const params = gcraParams(request);
    const hasQuota = params.quota >= 0;
    if (params.intervalUs === 0) {
      return decisionFromReply(NO_RATE_REPLY, 0, at, false, hasQuota);
    }
    return decisionFromReply(
      this.admit(request, at),
      0,
      at,
      this.shared,
      hasQuota,
    );
  }

  private admit(request: LimitRequest, nowMs: number): LimitReply {
    const { partnerId, productId, environment } = request;
    const { intervalUs, burst, quota } = gcraParams(request);
    const now = nowMs * 1000;
    const tau = intervalUs * burst;
    const quotaEnd = monthOf(nowMs).endMs;
    const count = (field: string) =>
      this.usage.count(partnerId, productId, environment, nowMs, field);

    let used = 0;
    if (quota >= 0) {
      used = this.usage.quotaUsed(partnerId, productId, environment, nowMs);
      if (used >= quota) {
        count(USAGE_FIELDS.quotaExceeded);
        return [0, 2, quota, 0, quotaEnd - nowMs, quotaEnd - nowMs];
      }
    }

    const key = rateKey('', partnerId, request.keyId, productId);
    const tat = Math.max(this.tats.get(key) ?? 0, now);
    const newTat = tat + intervalUs;
    if (newTat - now > tau) {
      count(USAGE_FIELDS.rateLimited);
      return [
        0,
        1,
        burst,
        0,
        Math.ceil((tat - now) / 1000),
        Math.ceil((newTat - tau - now) / 1000),
      ];
    }
    this.tats.set(key, newTat);
    if (this.tats.size > this.maxKeys) this.sweep(now);

    let limit = burst;
    let remaining = Math.floor((tau - (newTat - now)) / intervalUs);
    let resetMs = Math.ceil((newTat - now) / 1000);
    if (quota >= 0) {
      this.usage.addQuota(partnerId, productId, environment, nowMs, 1);
      const left = quota - used - 1;
      if (left < remaining) {
        limit = quota;
        remaining = left;
        resetMs = quotaEnd - nowMs;
      }
    }
    return [1, 0, limit, remaining, resetMs, 0];
  }

  /** A TAT in the past is the same as no state (the Redis key has expired). */
  private sweep(now: number): void {
    for (const [key, tat] of this.tats) {
      if (tat <= now) this.tats.delete(key);
    }
  }
}
