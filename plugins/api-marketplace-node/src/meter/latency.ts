/**
 * Upper bounds (ms) of the latency histogram buckets; a last, open bucket
 * takes the rest. Fixed bounds make histograms from many replicas and
 * minutes add up, and p50/p95/p99 come out to the nearest bound.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000,
  1500, 2000, 3000, 5000, 7500, 10000, 20000, 30000, 60000,
];

/** Number of histogram buckets, the open one included. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

export function latencyBucketOf(latencyMs: number): number {
  let low = 0;
  let high = LATENCY_BOUNDS_MS.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (latencyMs <= LATENCY_BOUNDS_MS[mid]) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The bound under which at least `quantile` of the calls fell; calls in the
 * open bucket report the largest bound. 0 for an empty histogram.
 */
export function latencyPercentile(
  histogram: readonly number[],
  quantile: number,
): number {
  let total = 0;
  for (const count of histogram) total += count;
  if (total === 0) return 0;
  const rank = Math.ceil(quantile * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) {
      return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)];
    }
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
