import type { KeyEnvironment } from '../keys';
import type { StatusClass } from './types';

/** One finished call as the gateway reports it. */
export interface MeteredCall {
  partnerId: string;
  productId: string;
  environment: KeyEnvironment;
  /** The limiter decision's clock (`LimitDecision.at`): picks the minute bucket. */
  at: number;
  /** Upstream status, or the gateway's own 502/504, or 499 if the partner left. */
  status: number;
  latencyMs: number;
  /** `LimitDecision.quotaCounted`: the quota counter already counts the call. */
  quotaCounted: boolean;
  /** `LimitDecision.hasQuota`: the plan has a monthly quota counter to correct. */
  hasQuota: boolean;
}

/** The aggregate of one partner × product × environment × minute. */
export interface MeterRow {
  partnerId: string;
  productId: string;
  environment: KeyEnvironment;
  minute: number;
  /** 2xx, 3xx, 4xx, 5xx. */
  statusCounts: number[];
  latencyUs: number;
  /** Counts per `LATENCY_BOUNDS_MS` bucket. */
  histogram: number[];
  billableDelta: number;
  quotaDelta: number;
}

/** Rows applied at most once under the batch id. */
export interface MeterBatch {
  id: string;
  /** Set when the sink wants one partner per batch (Redis Cluster slots). */
  partnerId?: string;
  rows: MeterRow[];
}

/** Where the meter writes; `apply` must be idempotent per batch id. */
export interface MeterSink {
  /** Batches may only hold one partner's rows (keys must share a slot). */
  readonly batchPerPartner?: boolean;
  /** Per batch: true when applied now or before, false when it must be retried. */
  apply(batches: readonly MeterBatch[]): Promise<boolean[]>;
}

/** A closed minute bucket, ready to be written to the database (SET, not ADD). */
export interface UsageBucket {
  key: string;
  /** Bumped by every meter write; `markRolledUp` only marks what was read. */
  version: number;
  partnerId: string;
  productId: string;
  environment: KeyEnvironment;
  /** Start of the minute, epoch ms. */
  minute: number;
  billable: number;
  rateLimited: number;
  quotaExceeded: number;
  statusCounts: Record<StatusClass, number>;
  latency: {
    count: number;
    meanMs: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    histogram: number[];
  };
}

/** What the control plane's rollup task reads. */
export interface UsageBucketReader {
  /**
   * Buckets whose minute ended at or before `before` and that are not rolled
   * up yet. Pass `now - closeDelay`, where closeDelay exceeds the upstream
   * body timeout plus the meter flush interval plus clock skew (2-5 min).
   */
  readClosedBuckets(before: number): AsyncIterable<UsageBucket>;
  /**
   * Marks buckets as stored and lets them expire after `ttlSeconds`. A bucket
   * written since it was read (version changed) is left alone and shows up
   * again in the next read with its full, corrected totals. Returns how many
   * were marked.
   */
  markRolledUp(
    buckets: ReadonlyArray<Pick<UsageBucket, 'key' | 'version'>>,
    ttlSeconds?: number,
  ): Promise<number>;
}

/** Hash fields of a usage bucket. */
export const USAGE_FIELDS = {
  billable: 'billable',
  rateLimited: 'rate_limited',
  quotaExceeded: 'quota_exceeded',
  latencyUs: 'lat_us',
  histogramPrefix: 'h',
  version: '_v',
  rolledUp: '_rolled',
} as const;

export const STATUS_CLASSES: readonly StatusClass[] = [
  '2xx',
  '3xx',
  '4xx',
  '5xx',
];

/** Default TTL of a bucket once rolled up. */
export const ROLLED_UP_TTL_SECONDS = 3600;
