import type { KeyEnvironment } from '../keys';
import { LATENCY_BUCKETS, latencyPercentile } from './latency';
import { STATUS_CLASSES, USAGE_FIELDS, UsageBucket } from './usageTypes';

/** A bucket from its stored fields; shared by the Redis and in-memory stores. */
export function usageBucketFromFields(
  key: string,
  dims: {
    partnerId: string;
    productId: string;
    environment: KeyEnvironment;
    minute: number;
  },
  fields: Record<string, string | number>,
): UsageBucket {
  const num = (field: string) => Number(fields[field] ?? 0);
  const histogram = Array.from({ length: LATENCY_BUCKETS }, (_, i) =>
    num(`${USAGE_FIELDS.histogramPrefix}${i}`),
  );
  const statusCounts = {} as UsageBucket['statusCounts'];
  let count = 0;
  for (const statusClass of STATUS_CLASSES) {
    statusCounts[statusClass] = num(statusClass);
    count += statusCounts[statusClass];
  }
  return {
    key,
    version: num(USAGE_FIELDS.version),
    ...dims,
    billable: num(USAGE_FIELDS.billable),
    rateLimited: num(USAGE_FIELDS.rateLimited),
    quotaExceeded: num(USAGE_FIELDS.quotaExceeded),
    statusCounts,
    latency: {
      count,
      meanMs: count === 0 ? 0 : num(USAGE_FIELDS.latencyUs) / count / 1000,
      p50Ms: latencyPercentile(histogram, 0.5),
      p95Ms: latencyPercentile(histogram, 0.95),
      p99Ms: latencyPercentile(histogram, 0.99),
      histogram,
    },
  };
}
