import type { Redis } from 'ioredis';
import {
  DEFAULT_KEY_PREFIX,
  METER_BATCH_TTL_SECONDS,
  QUOTA_GRACE_MS,
  USAGE_BUCKET_TTL_SECONDS,
  meterBatchKey,
  monthOf,
  parseUsageKey,
  quotaKey,
  usageKey,
} from '../keyspace';
import { RedisScript } from '../redis';
import { MARK_ROLLED_UP_SCRIPT, METER_SCRIPT } from './meterScript';
import { usageBucketFromFields } from './usageBucket';
import {
  MeterBatch,
  MeterRow,
  MeterSink,
  ROLLED_UP_TTL_SECONDS,
  USAGE_FIELDS,
  UsageBucket,
  UsageBucketReader,
} from './usageTypes';

/**
 * The shared usage store: the meter's idempotent batch writes, and the
 * rollup's reads of closed minute buckets. Buckets are found with SCAN, which
 * walks the whole keyspace: fine for a once-a-minute background task, not for
 * the hot path (nothing here is on it).
 */
export class RedisUsageStore implements MeterSink, UsageBucketReader {
  private readonly prefix: string;
  readonly batchPerPartner: boolean;

  constructor(
    private readonly client: Redis,
    options: { prefix?: string } = {},
  ) {
    this.prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
    this.batchPerPartner =
      (client as { isCluster?: boolean }).isCluster === true;
    void METER_SCRIPT.load(client);
  }

  async apply(batches: readonly MeterBatch[]): Promise<boolean[]> {
    if (batches.length === 0) return [];
    const encoded = batches.map(batch => this.encode(batch));
    const pipeline = this.client.pipeline();
    for (const { keys, args } of encoded) {
      pipeline.evalsha(METER_SCRIPT.sha, keys.length, ...keys, ...args);
    }
    const results = (await pipeline.exec()) ?? [];
    const applied: boolean[] = [];
    for (let i = 0; i < encoded.length; i++) {
      const error = results[i]?.[0];
      if (!results[i]) {
        applied.push(false);
      } else if (!error) {
        applied.push(true);
      } else if (RedisScript.isNoScript(error)) {
        // Re-running is safe: the batch marker makes it apply at most once.
        const { keys, args } = encoded[i];
        applied.push(
          await METER_SCRIPT.run(this.client, keys, args).then(
            () => true,
            () => false,
          ),
        );
      } else {
        applied.push(false);
      }
    }
    return applied;
  }

  async *readClosedBuckets(before: number): AsyncIterable<UsageBucket> {
    const seen = new Set<string>();
    const stream = this.client.scanStream({
      match: `${this.prefix}usage:*`,
      count: 1000,
    });
    for await (const page of stream as AsyncIterable<string[]>) {
      const candidates = [];
      for (const key of page) {
        if (seen.has(key)) continue; // SCAN may return a key twice
        const dims = parseUsageKey(this.prefix, key);
        if (dims && dims.minute + 60_000 <= before) {
          seen.add(key);
          candidates.push({ key, dims });
        }
      }
      if (candidates.length === 0) continue;
      const pipeline = this.client.pipeline();
      for (const { key } of candidates) pipeline.hgetall(key);
      const results = (await pipeline.exec()) ?? [];
      for (let i = 0; i < candidates.length; i++) {
        const [error, fields] = results[i] ?? [new Error('no reply')];
        if (error) throw error;
        const hash = fields as Record<string, string>;
        if (Object.keys(hash).length === 0) continue; // expired meanwhile
        if (hash[USAGE_FIELDS.rolledUp] !== undefined) continue;
        yield usageBucketFromFields(
          candidates[i].key,
          candidates[i].dims,
          hash,
        );
      }
    }
  }

  async markRolledUp(
    buckets: ReadonlyArray<Pick<UsageBucket, 'key' | 'version'>>,
    ttlSeconds = ROLLED_UP_TTL_SECONDS,
  ): Promise<number> {
    const replies = await Promise.all(
      buckets.map(({ key, version }) =>
        MARK_ROLLED_UP_SCRIPT.run(this.client, [key], [version, ttlSeconds]),
      ),
    );
    return replies.filter(reply => reply === 1).length;
  }

  private encode(batch: MeterBatch): { keys: string[]; args: string[] } {
    const keys = [meterBatchKey(this.prefix, batch.partnerId ?? '_', batch.id)];
    const args = [
      String(METER_BATCH_TTL_SECONDS),
      String(USAGE_BUCKET_TTL_SECONDS),
    ];
    for (const row of batch.rows) {
      const month = monthOf(row.minute);
      keys.push(
        usageKey(
          this.prefix,
          row.partnerId,
          row.productId,
          row.environment,
          row.minute,
        ),
        quotaKey(
          this.prefix,
          row.partnerId,
          row.productId,
          row.environment,
          month.id,
        ),
      );
      args.push(encodeRow(row, month.endMs + QUOTA_GRACE_MS));
    }
    return { keys, args };
  }
}

function encodeRow(row: MeterRow, quotaExpiresAt: number): string {
  const histogram: number[] = [];
  row.histogram.forEach((count, bucket) => {
    if (count) histogram.push(bucket, count);
  });
  return JSON.stringify({
    s: row.statusCounts,
    l: Math.round(row.latencyUs),
    h: histogram,
    b: row.billableDelta,
    q: row.quotaDelta,
    x: quotaExpiresAt,
  });
}
