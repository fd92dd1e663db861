import type { KeyEnvironment } from '../keys';

/** The dimensions one call is counted under. */
export interface MeterDimensions {
  partnerId: string;
  productId: string;
  environment: KeyEnvironment;
}

/** Status classes counted separately; only `2xx`-`4xx` are billable. */
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** Counts of one closed (or open) minute bucket. */
export interface MeterBucket extends MeterDimensions {
  /** Start of the minute, epoch milliseconds. */
  minute: number;
  counts: Partial<Record<StatusClass, number>>;
}

/**
 * Hot usage counters. Buckets are keyed by minute so that a closed bucket's
 * value is final and rollups can *set* rather than add.
 */
export interface MeterStore {
  /** Counts one call in the bucket of `at`. */
  record(
    dims: MeterDimensions,
    statusClass: StatusClass,
    at: number,
  ): Promise<void>;
  /** Reads a minute bucket; missing buckets read as empty counts. */
  readBucket(dims: MeterDimensions, minute: number): Promise<MeterBucket>;
  close(): Promise<void>;
}

export function minuteOf(at: number): number {
  return at - (at % 60_000);
}

export function statusClassOf(status: number): StatusClass {
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return '2xx';
}
