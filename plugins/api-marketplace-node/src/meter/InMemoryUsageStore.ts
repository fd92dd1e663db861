import type { KeyEnvironment } from '../keys';
import {
  QUOTA_GRACE_MS,
  USAGE_BUCKET_TTL_SECONDS,
  minuteStart,
  monthOf,
  parseUsageKey,
  quotaKey,
  usageKey,
} from '../keyspace';
import { usageBucketFromFields } from './usageBucket';
import {
  MeterBatch,
  MeterSink,
  ROLLED_UP_TTL_SECONDS,
  STATUS_CLASSES,
  USAGE_FIELDS,
  UsageBucket,
  UsageBucketReader,
} from './usageTypes';

const PREFIX = '';
/** Applied batch ids remembered for idempotency (oldest forgotten first). */
const MAX_REMEMBERED_BATCHES = 100_000;

interface StoredBucket {
  fields: Map<string, number>;
  expiresAt: number;
}

/**
 * Usage buckets and quota counters in process memory, with the same layout
 * and semantics as the Redis store: the embedded default (no Redis) shares one
 * instance between `InMemoryRateLimiter` and `UsageMeter`.
 */
export class InMemoryUsageStore implements MeterSink, UsageBucketReader {
  private readonly buckets = new Map<string, StoredBucket>();
  private readonly quotas = new Map<
    string,
    { value: number; expiresAt: number }
  >();
  private readonly applied = new Set<string>();
  private readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Adds to a field of the minute bucket of `at`; returns the new value. */
  count(
    partnerId: string,
    productId: string,
    environment: KeyEnvironment,
    at: number,
    field: string,
    by = 1,
  ): number {
    const key = usageKey(
      PREFIX,
      partnerId,
      productId,
      environment,
      minuteStart(at),
    );
    return this.increment(key, field, by);
  }

  quotaUsed(
    partnerId: string,
    productId: string,
    environment: KeyEnvironment,
    at: number,
  ): number {
    const key = quotaKey(
      PREFIX,
      partnerId,
      productId,
      environment,
      monthOf(at).id,
    );
    return this.quotas.get(key)?.value ?? 0;
  }

  addQuota(
    partnerId: string,
    productId: string,
    environment: KeyEnvironment,
    at: number,
    by: number,
  ): void {
    const month = monthOf(at);
    const key = quotaKey(PREFIX, partnerId, productId, environment, month.id);
    const current = this.quotas.get(key);
    if (current) current.value += by;
    else
      this.quotas.set(key, {
        value: by,
        expiresAt: month.endMs + QUOTA_GRACE_MS,
      });
  }

  async apply(batches: readonly MeterBatch[]): Promise<boolean[]> {
    for (const batch of batches) {
      if (this.applied.has(batch.id)) continue;
      this.remember(batch.id);
      for (const row of batch.rows) {
        const key = usageKey(
          PREFIX,
          row.partnerId,
          row.productId,
          row.environment,
          row.minute,
        );
        STATUS_CLASSES.forEach((statusClass, i) => {
          if (row.statusCounts[i])
            this.increment(key, statusClass, row.statusCounts[i]);
        });
        this.increment(key, USAGE_FIELDS.latencyUs, row.latencyUs);
        row.histogram.forEach((count, i) => {
          if (count)
            this.increment(key, `${USAGE_FIELDS.histogramPrefix}${i}`, count);
        });
        if (row.billableDelta)
          this.increment(key, USAGE_FIELDS.billable, row.billableDelta);
        if (row.quotaDelta) {
          this.addQuota(
            row.partnerId,
            row.productId,
            row.environment,
            row.minute,
            row.quotaDelta,
          );
        }
        this.increment(key, USAGE_FIELDS.version, 1);
        // A late write revives a rolled-up bucket so it is rolled up again.
        const bucket = this.buckets.get(key)!;
        bucket.fields.delete(USAGE_FIELDS.rolledUp);
        bucket.expiresAt = this.now() + USAGE_BUCKET_TTL_SECONDS * 1000;
      }
    }
    return batches.map(() => true);
  }

  async *readClosedBuckets(before: number): AsyncIterable<UsageBucket> {
    const now = this.now();
    for (const [key, quota] of [...this.quotas]) {
      if (quota.expiresAt <= now) this.quotas.delete(key);
    }
    for (const [key, bucket] of [...this.buckets]) {
      if (bucket.expiresAt <= now) {
        this.buckets.delete(key);
        continue;
      }
      const dims = parseUsageKey(PREFIX, key);
      if (!dims || dims.minute + 60_000 > before) continue;
      if (bucket.fields.has(USAGE_FIELDS.rolledUp)) continue;
      yield usageBucketFromFields(key, dims, Object.fromEntries(bucket.fields));
    }
  }

  async markRolledUp(
    buckets: ReadonlyArray<Pick<UsageBucket, 'key' | 'version'>>,
    ttlSeconds = ROLLED_UP_TTL_SECONDS,
  ): Promise<number> {
    let marked = 0;
    for (const { key, version } of buckets) {
      const bucket = this.buckets.get(key);
      if (!bucket || (bucket.fields.get(USAGE_FIELDS.version) ?? 0) !== version)
        continue;
      bucket.fields.set(USAGE_FIELDS.rolledUp, 1);
      bucket.expiresAt = this.now() + ttlSeconds * 1000;
      marked++;
    }
    return marked;
  }

  private increment(key: string, field: string, by: number): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        fields: new Map(),
        expiresAt: this.now() + USAGE_BUCKET_TTL_SECONDS * 1000,
      };
      this.buckets.set(key, bucket);
    }
    const value = (bucket.fields.get(field) ?? 0) + by;
    bucket.fields.set(field, value);
    return value;
  }

  private remember(batchId: string): void {
    this.applied.add(batchId);
    if (this.applied.size > MAX_REMEMBERED_BATCHES) {
      const oldest = this.applied.values().next();
      if (!oldest.done) this.applied.delete(oldest.value);
    }
  }
}
