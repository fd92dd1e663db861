import type { UsageBucket } from '@portico/plugin-api-marketplace-node';
import {
  ClassCounts,
  MinuteBucket,
  STATUS_CLASSES,
  StatusClass,
} from '../database/UsageRollupStore';

const BILLABLE_CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx'];

/**
 * A usage store bucket as the rows the database keeps, used by the rollup
 * and by the live part of `GET /v1/usage` alike, so both count the same.
 *
 * Billable calls: the store's `billable` counter is the record (written by
 * the meter with the status counts, one per finished call that was not 5xx).
 * It is spread over the 2xx-4xx rows by their calls; any difference between
 * the two (a bucket written by an older gateway that counted at admission)
 * is booked on the 2xx row. Sandbox calls are never billable.
 */
export function toMinuteBucket(bucket: UsageBucket): MinuteBucket {
  const classes: Partial<Record<StatusClass, ClassCounts>> = {};
  const production = bucket.environment === 'production';
  let attributed = 0;
  for (const statusClass of STATUS_CLASSES) {
    const calls = bucket.statusCounts[statusClass] ?? 0;
    if (calls <= 0) continue;
    const billable =
      production && BILLABLE_CLASSES.includes(statusClass) ? calls : 0;
    attributed += billable;
    classes[statusClass] = { calls, billableCalls: billable };
  }
  let difference = production ? Math.max(0, bucket.billable) - attributed : 0;
  if (difference > 0) {
    classes['2xx'] ??= { calls: 0, billableCalls: 0 };
    classes['2xx'].billableCalls += difference;
  }
  for (const statusClass of BILLABLE_CLASSES) {
    if (difference >= 0) break;
    const row = classes[statusClass];
    if (!row) continue;
    const taken = Math.min(row.billableCalls, -difference);
    row.billableCalls -= taken;
    difference += taken;
  }
  const measured = bucket.latency.count > 0;
  return {
    partnerId: bucket.partnerId,
    productId: bucket.productId,
    environment: bucket.environment,
    bucketStart: bucket.minute,
    version: bucket.version,
    classes,
    ...(measured
      ? {
          latencyP50Ms: Math.round(bucket.latency.p50Ms),
          latencyP95Ms: Math.round(bucket.latency.p95Ms),
          latencyP99Ms: Math.round(bucket.latency.p99Ms),
        }
      : {}),
  };
}
