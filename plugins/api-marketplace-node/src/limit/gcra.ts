import type { LimitDecision, LimitRequest } from './types';

/**
 * GCRA (generic cell rate algorithm): each call pushes a "theoretical arrival
 * time" (TAT) one emission interval (1 s / rate) further; a call is allowed
 * while TAT - now stays within burst × interval. From idle, `burst` calls pass
 * at once, then one per interval: over a window W, at most
 * burst + rate × W calls. One number of state per key, no timers, and exact
 * under concurrency when evaluated atomically (Lua or single-threaded JS).
 * Times are integer microseconds so that fractional intervals do not drift.
 */
export interface GcraParams {
  intervalUs: number;
  burst: number;
  quota: number;
}

/** The plan's hard monthly quota, or -1 when it has none. */
export function hardQuotaOf(request: LimitRequest): number {
  return request.hardMonthlyQuota !== undefined && request.hardMonthlyQuota >= 0
    ? Math.floor(request.hardMonthlyQuota)
    : -1;
}

export function gcraParams(request: LimitRequest): GcraParams {
  const rate = request.ratePerSecond;
  const burst = Math.max(1, Math.floor(request.burst ?? Math.ceil(rate)));
  const quota = hardQuotaOf(request);
  return {
    intervalUs: rate > 0 ? Math.max(1, Math.round(1_000_000 / rate)) : 0,
    burst,
    quota,
  };
}

/**
 * The reply both implementations produce: [allowed, reason, limit, remaining,
 * resetMs, retryAfterMs]; the Redis script returns one after the other per call.
 */
export type LimitReply = [number, number, number, number, number, number];

const REASONS = [undefined, 'rate_limited', 'quota_exceeded'] as const;

export function decisionFromReply(
  reply: LimitReply | readonly number[],
  offset: number,
  at: number,
  quotaCounted: boolean,
  hasQuota: boolean,
): LimitDecision {
  const allowed = reply[offset] === 1;
  return {
    allowed,
    reason: REASONS[reply[offset + 1]],
    limit: reply[offset + 2],
    remaining: Math.max(0, reply[offset + 3]),
    resetSeconds: Math.max(0, Math.ceil(reply[offset + 4] / 1000)),
    retryAfterSeconds: allowed
      ? undefined
      : Math.max(1, Math.ceil(reply[offset + 5] / 1000)),
    at,
    quotaCounted: allowed && hasQuota && quotaCounted,
    hasQuota,
  };
}

/** What the limiter script answers for one group of calls. */
export interface GroupVerdict {
  admitted: number;
  /** The key's TAT before the group minus now, µs, at least 0. */
  tatAheadUs: number;
  /** The quota used before the group (0 without a quota). */
  quotaUsed: number;
}

/**
 * The reply of the `index`-th call of a group that the script decided at
 * once: the same numbers it would have returned for that call alone, after
 * the calls before it (see `LIMITER_SCRIPT`).
 */
export function groupCallReply(
  params: GcraParams & { nowMs: number; quotaEnd: number },
  verdict: GroupVerdict,
  index: number,
): LimitReply {
  const { intervalUs, burst, quota, nowMs, quotaEnd } = params;
  const { admitted, tatAheadUs, quotaUsed } = verdict;
  const tau = intervalUs * burst;
  if (index < admitted) {
    const ahead = tatAheadUs + (index + 1) * intervalUs;
    let limit = burst;
    let remaining = Math.floor((tau - ahead) / intervalUs);
    let resetMs = Math.ceil(ahead / 1000);
    if (quota >= 0) {
      const left = quota - quotaUsed - 1 - index;
      if (left < remaining) {
        limit = quota;
        remaining = left;
        resetMs = quotaEnd - nowMs;
      }
    }
    return [1, 0, limit, remaining, resetMs, 0];
  }
  if (quota >= 0 && quotaUsed + admitted >= quota) {
    return [0, 2, quota, 0, quotaEnd - nowMs, quotaEnd - nowMs];
  }
  const ahead = tatAheadUs + admitted * intervalUs;
  return [
    0,
    1,
    burst,
    0,
    Math.ceil(ahead / 1000),
    Math.ceil((ahead + intervalUs - tau) / 1000),
  ];
}

/** A plan without a positive rate admits nothing (misconfiguration, fail closed). */
export const NO_RATE_REPLY: LimitReply = [0, 1, 0, 0, 1000, 1000];
