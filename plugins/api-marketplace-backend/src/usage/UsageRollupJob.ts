import type { LoggerService } from '@backstage/backend-plugin-api';
import { ForwardedError } from '@backstage/errors';
import type {
  UsageBucket,
  UsageBucketReader,
} from '@portico/plugin-api-marketplace-node';
import { Knex } from 'knex';
import { UsageRollupStore } from '../database/UsageRollupStore';
import { toMinuteBucket } from './minuteBucket';

/** Default wait after a minute ends before its bucket is rolled up. */
export const DEFAULT_CLOSE_DELAY_MS = 120_000;

export interface UsageRollupJobOptions {
  /** The usage store the meter and limiter write (Redis or in-memory). */
  reader: UsageBucketReader;
  store: UsageRollupStore;
  logger: Pick<LoggerService, 'info' | 'warn' | 'debug'>;
  /**
   * How long after its minute ends a bucket is considered closed: more than
   * the longest call (the upstream body timeout), the meter's flush interval
   * and the clock skew between replicas. Late writes are not lost either
   * way: they revive the bucket, which the next run sets again.
   */
  closeDelayMs?: number;
  /** Buckets written to the database (and then marked) at a time. Default 500. */
  batchSize?: number;
  /** How long a rolled-up bucket stays in the usage store. Default 1 h. */
  rolledUpTtlSeconds?: number;
  now?: () => number;
}

/** What one run did. */
export type UsageRollupResult = { buckets: number; marked: number };

/**
 * Moves closed usage buckets from the hot store into the database: reads
 * them, SETs the rollup rows to their totals, then marks them rolled up so
 * they can expire. Idempotent: a crash between the write and the mark, or
 * two runs at once, write the same totals again and count nothing twice; a
 * bucket written after it was read keeps its mark off and is set again,
 * with its new totals, by the next run.
 *
 * Run it from a `scope: 'global'` scheduled task (the backend does) or from
 * the standalone gateway.
 */
export class UsageRollupJob {
  private readonly reader: UsageBucketReader;
  private readonly store: UsageRollupStore;
  private readonly logger: UsageRollupJobOptions['logger'];
  private readonly closeDelayMs: number;
  private readonly batchSize: number;
  private readonly ttlSeconds?: number;
  private readonly now: () => number;

  static create(
    options: Omit<UsageRollupJobOptions, 'store'> & { database: Knex },
  ): UsageRollupJob {
    return new UsageRollupJob({
      ...options,
      store: new UsageRollupStore(options.database),
    });
  }

  constructor(options: UsageRollupJobOptions) {
    this.reader = options.reader;
    this.store = options.store;
    this.logger = options.logger;
    this.closeDelayMs = options.closeDelayMs ?? DEFAULT_CLOSE_DELAY_MS;
    this.batchSize = options.batchSize ?? 500;
    this.ttlSeconds = options.rolledUpTtlSeconds;
    this.now = options.now ?? Date.now;
  }

  async run(): Promise<UsageRollupResult> {
    const result: UsageRollupResult = { buckets: 0, marked: 0 };
    let batch: UsageBucket[] = [];
    try {
      for await (const bucket of this.reader.readClosedBuckets(
        this.now() - this.closeDelayMs,
      )) {
        batch.push(bucket);
        if (batch.length >= this.batchSize) {
          await this.write(batch, result);
          batch = [];
        }
      }
      await this.write(batch, result);
    } catch (error) {
      throw new ForwardedError(
        `Usage rollup stopped after ${result.buckets} buckets`,
        error,
      );
    }
    if (result.buckets > 0) {
      this.logger.debug(
        `Usage rollup stored ${result.buckets} buckets, marked ${result.marked}`,
      );
    }
    return result;
  }

  private async write(
    batch: UsageBucket[],
    result: UsageRollupResult,
  ): Promise<void> {
    if (batch.length === 0) return;
    await this.store.setBuckets(batch.map(toMinuteBucket));
    // Only after the database has them: a crash before this line re-reads
    // and re-sets the same buckets on the next run.
    result.marked += await this.reader.markRolledUp(
      batch.map(({ key, version }) => ({ key, version })),
      this.ttlSeconds,
    );
    result.buckets += batch.length;
  }
}
