import type { KeyEnvironment } from './keys';

/**
 * The Redis key layout of the data plane, in one place. Every key of one
 * partner carries the `{partnerId}` hash tag so that the limiter script and
 * the meter's batch script only touch one cluster slot.
 *
 *   {prefix}rl:{partner}:{keyId}:{product}            GCRA theoretical arrival time (µs), PX = time to full burst
 *   {prefix}quota:{partner}:{product}:{env}:{yyyymm}  billable calls of the month (plans with a hard quota)
 *   {prefix}usage:{partner}:{product}:{env}:{minute}  hash: one minute bucket (see UsageBucketField)
 *   {prefix}mbatch:{partner}:{batchId}                marker of an applied meter batch (idempotency)
 *   {prefix}keys:evict                                pub/sub channel of key evictions
 */
export const DEFAULT_KEY_PREFIX = 'portico:';

/** Minute buckets live a week; the rollup shortens that once they are stored. */
export const USAGE_BUCKET_TTL_SECONDS = 7 * 24 * 3600;
/** Meter batch markers outlive any realistic replay of a buffered batch. */
export const METER_BATCH_TTL_SECONDS = 48 * 3600;
/** Quota counters stay a week past their month for late refunds and audits. */
export const QUOTA_GRACE_MS = 7 * 24 * 3600_000;

const NEEDS_ESCAPE = /[:{}%\s]/;

/** Ids are slugs or UUIDs; anything that could break the layout is escaped. */
function part(id: string): string {
  return NEEDS_ESCAPE.test(id) ? encodeURIComponent(id) : id;
}

function unpart(text: string): string {
  return text.includes('%') ? decodeURIComponent(text) : text;
}

export function rateKey(
  prefix: string,
  partnerId: string,
  keyId: string,
  productId: string,
): string {
  return `${prefix}rl:{${part(partnerId)}}:${part(keyId)}:${part(productId)}`;
}

export function quotaKey(
  prefix: string,
  partnerId: string,
  productId: string,
  environment: KeyEnvironment,
  monthId: string,
): string {
  return `${prefix}quota:{${part(partnerId)}}:${part(
    productId,
  )}:${environment}:${monthId}`;
}

export function usageKey(
  prefix: string,
  partnerId: string,
  productId: string,
  environment: KeyEnvironment,
  minute: number,
): string {
  return `${prefix}usage:{${part(partnerId)}}:${part(
    productId,
  )}:${environment}:${minute}`;
}

export function meterBatchKey(
  prefix: string,
  partnerId: string,
  batchId: string,
): string {
  return `${prefix}mbatch:{${part(partnerId)}}:${batchId}`;
}

export function evictChannel(prefix: string): string {
  return `${prefix}keys:evict`;
}

/** The dimensions of a usage bucket key, or undefined for any other key. */
export function parseUsageKey(
  prefix: string,
  key: string,
):
  | {
      partnerId: string;
      productId: string;
      environment: KeyEnvironment;
      minute: number;
    }
  | undefined {
  const head = `${prefix}usage:{`;
  if (!key.startsWith(head)) return undefined;
  const close = key.indexOf('}:', head.length);
  if (close < 0) return undefined;
  const rest = key.slice(close + 2).split(':');
  if (rest.length !== 3) return undefined;
  const [product, environment, minute] = rest;
  if (environment !== 'sandbox' && environment !== 'production') {
    return undefined;
  }
  const minuteMs = Number(minute);
  if (!Number.isSafeInteger(minuteMs)) return undefined;
  return {
    partnerId: unpart(key.slice(head.length, close)),
    productId: unpart(product),
    environment,
    minute: minuteMs,
  };
}

/** A UTC calendar month: the quota period. */
export interface QuotaMonth {
  /** `yyyymm`, e.g. `202611`. */
  id: string;
  startMs: number;
  endMs: number;
}

let cachedMonth: QuotaMonth = { id: '', startMs: 0, endMs: 0 };

/** The month of `at`, cached so the hot path does not build a Date per call. */
export function monthOf(at: number): QuotaMonth {
  if (at >= cachedMonth.startMs && at < cachedMonth.endMs) return cachedMonth;
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const computed = {
    id: `${year}${String(month + 1).padStart(2, '0')}`,
    startMs: Date.UTC(year, month, 1),
    endMs: Date.UTC(year, month + 1, 1),
  };
  cachedMonth = computed;
  return computed;
}

/** Start of the minute of `at`, epoch ms: the bucket a call is counted in. */
export function minuteStart(at: number): number {
  return at - (at % 60_000);
}
