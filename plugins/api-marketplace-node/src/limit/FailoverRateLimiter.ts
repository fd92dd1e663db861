import type { LoggerService } from '@backstage/backend-plugin-api';
import type { LimitDecision, LimitRequest, RateLimiter } from './types';

export interface FailoverRateLimiterOptions {
  /** How long to stay on the fallback before trying the primary again. Default 1 s. */
  retryPrimaryAfterMs?: number;
  logger?: Pick<LoggerService, 'warn' | 'info'>;
}

/**
 * Redis first; when it fails, the in-process limiter, so an outage degrades
 * limits to per-instance instead of failing every call. While degraded, rates
 * and free-plan quotas are enforced per replica (a partner can get up to
 * replicas × their rate, and quota counts start from zero locally), which is
 * logged as "single-instance". The meter still records every call and brings
 * the shared quota counters up to date when Redis is back.
 */
export class FailoverRateLimiter implements RateLimiter {
  private degradedUntil = 0;
  private degraded = false;
  private readonly retryAfterMs: number;

  constructor(
    private readonly primary: RateLimiter,
    private readonly fallback: RateLimiter,
    private readonly options: FailoverRateLimiterOptions = {},
  ) {
    this.retryAfterMs = options.retryPrimaryAfterMs ?? 1_000;
  }

  /** True while calls are limited by the local fallback. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  check(request: LimitRequest): Promise<LimitDecision> {
    if (this.degraded && Date.now() < this.degradedUntil) {
      return this.fallback.check(request);
    }
    // Plain promise callbacks, not an async function: this runs per call.
    return this.primary
      .check(request)
      .then(this.onPrimaryDecision, error =>
        this.onPrimaryError(error, request),
      );
  }

  checkCached(request: LimitRequest): LimitDecision | undefined {
    if (this.degraded && Date.now() < this.degradedUntil) {
      return this.fallback.checkCached?.(request);
    }
    const decision = this.primary.checkCached?.(request);
    return decision && this.onPrimaryDecision(decision);
  }

  private readonly onPrimaryDecision = (
    decision: LimitDecision,
  ): LimitDecision => {
    if (this.degraded) {
      this.degraded = false;
      this.options.logger?.info(
        'Rate limiter back on Redis: limits and quotas are shared across instances again',
      );
    }
    return decision;
  };

  private onPrimaryError(
    error: unknown,
    request: LimitRequest,
  ): Promise<LimitDecision> {
    if (!this.degraded) {
      this.degraded = true;
      this.options.logger?.warn(
        `Rate limiter cannot reach Redis, falling back to single-instance limits: ${error}`,
      );
    }
    this.degradedUntil = Date.now() + this.retryAfterMs;
    return this.fallback.check(request);
  }
}
