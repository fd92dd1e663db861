import Redis from 'ioredis';
import {
  MeterBucket,
  MeterDimensions,
  MeterStore,
  StatusClass,
  minuteOf,
} from './types';

/** Buckets outlive the rollup schedule by far; the rollup sets, never adds. */
const BUCKET_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Counters in Redis hashes, one per partner × product × environment × minute.
 * `enableAutoPipelining` merges concurrent calls into one write.
 */
export class RedisMeterStore implements MeterStore {
  static create(options: { url: string; keyPrefix?: string }): RedisMeterStore {
    const client = new Redis(options.url, {
      enableAutoPipelining: true,
      maxRetriesPerRequest: 2,
      lazyConnect: false,
    });
    return new RedisMeterStore(client, options.keyPrefix ?? 'portico:meter:');
  }

  private constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  private key(dims: MeterDimensions, minute: number): string {
    // Braces keep every bucket of one partner in one cluster slot.
    return `${this.prefix}{${dims.partnerId}}:${dims.productId}:${dims.environment}:${minute}`;
  }

  async record(
    dims: MeterDimensions,
    statusClass: StatusClass,
    at: number,
  ): Promise<void> {
    const key = this.key(dims, minuteOf(at));
    await this.client
      .multi()
      .hincrby(key, statusClass, 1)
      .expire(key, BUCKET_TTL_SECONDS)
      .exec();
  }

  async readBucket(
    dims: MeterDimensions,
    minute: number,
  ): Promise<MeterBucket> {
    const raw = await this.client.hgetall(this.key(dims, minuteOf(minute)));
    const counts: MeterBucket['counts'] = {};
    for (const [statusClass, value] of Object.entries(raw)) {
      counts[statusClass as StatusClass] = Number(value);
    }
    return { ...dims, minute: minuteOf(minute), counts };
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}
