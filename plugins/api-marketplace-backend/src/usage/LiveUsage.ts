import {
  DEFAULT_KEY_PREFIX,
  InMemoryUsageStore,
  KeyEnvironment,
  UsageBucket,
  monthOf,
  quotaKey,
  usageBucketFromFields,
  usageKey,
} from '@portico/plugin-api-marketplace-node';
import type { Redis } from 'ioredis';

/** One product × environment of a partner. */
export type UsageDimension = {
  productId: string;
  environment: KeyEnvironment;
};

/**
 * The hot usage counters, read for `GET /v1/usage` so that a call shows up
 * within seconds instead of after the rollup.
 */
export interface LiveUsageSource {
  /**
   * Minute buckets of the partner starting in `[from, to)`. A bucket that is
   * already rolled up may be returned too: it holds the same or newer totals
   * than the database, so readers replace the stored minute with it.
   */
  buckets(
    partnerId: string,
    dimensions: UsageDimension[],
    from: number,
    to: number,
  ): Promise<UsageBucket[]>;
  /** Calls counted against a hard monthly quota in the month of `at`. */
  quotaUsed(
    partnerId: string,
    dimension: UsageDimension,
    at: number,
  ): Promise<number>;
}

const MINUTE = 60_000;

/** Reads exactly the partner's bucket keys: no SCAN, one pipelined round trip. */
export class RedisLiveUsage implements LiveUsageSource {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string = DEFAULT_KEY_PREFIX,
  ) {}

  async buckets(
    partnerId: string,
    dimensions: UsageDimension[],
    from: number,
    to: number,
  ): Promise<UsageBucket[]> {
    const wanted: Array<
      UsageDimension & { partnerId: string; minute: number; key: string }
    > = [];
    for (let minute = from - (from % MINUTE); minute < to; minute += MINUTE) {
      for (const dim of dimensions) {
        wanted.push({
          ...dim,
          partnerId,
          minute,
          key: usageKey(
            this.prefix,
            partnerId,
            dim.productId,
            dim.environment,
            minute,
          ),
        });
      }
    }
    if (wanted.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const { key } of wanted) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    const buckets: UsageBucket[] = [];
    wanted.forEach((dims, i) => {
      const [error, hash] = replies[i] ?? [new Error('no reply')];
      if (error) throw error;
      const fields = hash as Record<string, string>;
      if (Object.keys(fields).length === 0) return;
      buckets.push(usageBucketFromFields(dims.key, dims, fields));
    });
    return buckets;
  }

  async quotaUsed(
    partnerId: string,
    dimension: UsageDimension,
    at: number,
  ): Promise<number> {
    const value = await this.client.get(
      quotaKey(
        this.prefix,
        partnerId,
        dimension.productId,
        dimension.environment,
        monthOf(at).id,
      ),
    );
    return Number(value ?? 0);
  }
}

/** The embedded default: the one process's in-memory store. */
export class InMemoryLiveUsage implements LiveUsageSource {
  constructor(private readonly store: InMemoryUsageStore) {}

  async buckets(
    partnerId: string,
    dimensions: UsageDimension[],
    from: number,
    to: number,
  ): Promise<UsageBucket[]> {
    const wanted = new Set(
      dimensions.map(d => `${d.productId}\u0000${d.environment}`),
    );
    const buckets: UsageBucket[] = [];
    // Every bucket not rolled up yet, open ones included.
    for await (const bucket of this.store.readClosedBuckets(Infinity)) {
      if (
        bucket.partnerId === partnerId &&
        bucket.minute >= from - (from % MINUTE) &&
        bucket.minute < to &&
        wanted.has(`${bucket.productId}\u0000${bucket.environment}`)
      ) {
        buckets.push(bucket);
      }
    }
    return buckets;
  }

  async quotaUsed(
    partnerId: string,
    dimension: UsageDimension,
    at: number,
  ): Promise<number> {
    return this.store.quotaUsed(
      partnerId,
      dimension.productId,
      dimension.environment,
      at,
    );
  }
}
