import { Knex } from 'knex';

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';
export type Granularity = 'minute' | 'hour' | 'day';
export type UsageEnvironment = 'sandbox' | 'production';

export const STATUS_CLASSES: readonly StatusClass[] = [
  '2xx',
  '3xx',
  '4xx',
  '5xx',
];

/** The counts of one status class within a bucket. */
export type ClassCounts = {
  calls: number;
  billableCalls: number;
};

/**
 * One closed minute of one partner × product × environment, as the usage
 * store holds it: the counts per status class, and the bucket's latency
 * (all status classes together).
 */
export type MinuteBucket = {
  partnerId: string;
  productId: string;
  environment: UsageEnvironment;
  /** Start of the minute, epoch ms. */
  bucketStart: number;
  /**
   * The usage store's version of the bucket: a write with an older version
   * never replaces a newer one (a slow rollup racing a fresh one).
   */
  version: number;
  classes: Partial<Record<StatusClass, ClassCounts>>;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  latencyP99Ms?: number;
};

/** One stored row: a bucket × status class. */
export type UsagePoint = {
  bucketStart: number;
  productId: string;
  environment: UsageEnvironment;
  statusClass: StatusClass;
  calls: number;
  billableCalls: number;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
};

/** Sums of a period per product and environment. */
export type UsageSum = {
  productId: string;
  environment: UsageEnvironment;
  calls: number;
  billableCalls: number;
};

const KEY = [
  'partner_id',
  'product_id',
  'environment',
  'granularity',
  'bucket_start',
  'status_class',
];
const VALUES = [
  'calls',
  'billable_calls',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'source_version',
  'updated_at',
];
export const GRANULARITY_MS: Record<Granularity, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};
/** Serialises rollup writers on Postgres (pg_advisory_xact_lock key). */
const ROLLUP_LOCK = 728_391_551;
const CHUNK = 100;

function bucketOf(start: number, granularity: Granularity): number {
  return start - (start % GRANULARITY_MS[granularity]);
}

/**
 * Durable usage: the record billing reads. A rollup SETS a minute bucket to
 * the usage store's current totals (never adds), and hour and day buckets
 * are recomputed from the minutes, so re-running a rollup, a crash between
 * writing and marking, or two writers at once change nothing.
 */
export class UsageRollupStore {
  constructor(private readonly db: Knex) {}

  /**
   * Sets each bucket's minute rows to exactly its status classes (classes
   * it no longer has are removed), unless the stored rows come from a newer
   * version of the bucket, then rebuilds the hours and days they fall in.
   */
  async setBuckets(buckets: MinuteBucket[]): Promise<void> {
    if (buckets.length === 0) return;
    const sorted = [...buckets].sort(
      (a, b) =>
        a.partnerId.localeCompare(b.partnerId) ||
        a.productId.localeCompare(b.productId) ||
        a.environment.localeCompare(b.environment) ||
        a.bucketStart - b.bucketStart,
    );
    await this.db.transaction(async tx => {
      // One writer at a time (SQLite has a single connection anyway).
      if (['pg', 'postgres', 'postgresql'].includes(tx.client.config.client)) {
        await tx.raw('select pg_advisory_xact_lock(?)', [ROLLUP_LOCK]);
      }
      const now = new Date();
      for (let i = 0; i < sorted.length; i += CHUNK) {
        const chunk = await this.notOlderThanStored(
          tx,
          sorted.slice(i, i + CHUNK),
        );
        if (chunk.length === 0) continue;
        await tx('usage_rollups')
          .where(q => {
            for (const bucket of chunk) {
              q.orWhere(inner =>
                inner
                  .where({
                    partner_id: bucket.partnerId,
                    product_id: bucket.productId,
                    environment: bucket.environment,
                    granularity: 'minute',
                    bucket_start: bucket.bucketStart,
                  })
                  .where('source_version', '<=', bucket.version)
                  .whereNotIn('status_class', Object.keys(bucket.classes)),
              );
            }
          })
          .delete();
        const rows = chunk.flatMap(bucket =>
          STATUS_CLASSES.filter(c => bucket.classes[c]).map(statusClass => ({
            partner_id: bucket.partnerId,
            product_id: bucket.productId,
            environment: bucket.environment,
            granularity: 'minute',
            bucket_start: bucket.bucketStart,
            status_class: statusClass,
            calls: bucket.classes[statusClass]!.calls,
            billable_calls: bucket.classes[statusClass]!.billableCalls,
            latency_p50_ms: bucket.latencyP50Ms ?? null,
            latency_p95_ms: bucket.latencyP95Ms ?? null,
            latency_p99_ms: bucket.latencyP99Ms ?? null,
            source_version: bucket.version,
            updated_at: now,
          })),
        );
        if (rows.length) {
          await tx('usage_rollups')
            .insert(rows)
            .onConflict(KEY)
            .merge(VALUES)
            .whereRaw(
              'usage_rollups.source_version <= excluded.source_version',
            );
        }
      }
      await this.rebuild(tx, sorted);
    });
  }

  /**
   * The buckets whose stored rows do not come from a newer version. Writers
   * are serialised (the transaction's lock), so this check cannot race.
   */
  private async notOlderThanStored(
    tx: Knex,
    chunk: MinuteBucket[],
  ): Promise<MinuteBucket[]> {
    const stored = await tx('usage_rollups')
      .where({ granularity: 'minute' })
      .where(q => {
        for (const bucket of chunk) {
          q.orWhere({
            partner_id: bucket.partnerId,
            product_id: bucket.productId,
            environment: bucket.environment,
            bucket_start: bucket.bucketStart,
          });
        }
      })
      .groupBy('partner_id', 'product_id', 'environment', 'bucket_start')
      .select(
        'partner_id',
        'product_id',
        'environment',
        'bucket_start',
        tx.raw('max(source_version) as version'),
      );
    const versions = new Map<string, number>(
      stored.map((row: any) => [
        `${row.partner_id}\u0000${row.product_id}\u0000${
          row.environment
        }\u0000${Number(row.bucket_start)}`,
        Number(row.version),
      ]),
    );
    return chunk.filter(
      bucket =>
        (versions.get(
          `${bucket.partnerId}\u0000${bucket.productId}\u0000${bucket.environment}\u0000${bucket.bucketStart}`,
        ) ?? -1) <= bucket.version,
    );
  }

  /**
   * Recomputes the hour and day buckets that contain the given minutes from
   * the minute rows. Percentiles of coarser buckets are approximations: the
   * call-weighted mean of minute p50s, and the largest minute p95/p99.
   */
  private async rebuild(tx: Knex, buckets: MinuteBucket[]): Promise<void> {
    for (const granularity of ['hour', 'day'] as const) {
      const size = GRANULARITY_MS[granularity];
      const groups = new Map<
        string,
        { partnerId: string; productId: string; start: number }
      >();
      for (const bucket of buckets) {
        const start = bucketOf(bucket.bucketStart, granularity);
        groups.set(`${bucket.partnerId}|${bucket.productId}|${start}`, {
          partnerId: bucket.partnerId,
          productId: bucket.productId,
          start,
        });
      }
      for (const { partnerId, productId, start } of groups.values()) {
        const aggregates = await tx('usage_rollups')
          .where({
            partner_id: partnerId,
            product_id: productId,
            granularity: 'minute',
          })
          .andWhere('bucket_start', '>=', start)
          .andWhere('bucket_start', '<', start + size)
          .groupBy('environment', 'status_class')
          .select(
            'environment',
            'status_class',
            tx.raw('sum(calls) as calls'),
            tx.raw('sum(billable_calls) as billable_calls'),
            tx.raw('sum(calls * coalesce(latency_p50_ms, 0)) as p50_weighted'),
            tx.raw('max(latency_p95_ms) as p95'),
            tx.raw('max(latency_p99_ms) as p99'),
          );
        const present = aggregates.map((a: any) => a.status_class as string);
        // A class can only disappear from a coarser bucket when its minutes
        // were re-set without it (a billable correction row); drop it too.
        await tx('usage_rollups')
          .where({
            partner_id: partnerId,
            product_id: productId,
            granularity,
            bucket_start: start,
          })
          .where(q => {
            for (const env of ['sandbox', 'production']) {
              const classes = aggregates
                .filter((a: any) => a.environment === env)
                .map((a: any) => a.status_class);
              q.orWhere(inner =>
                inner
                  .where({ environment: env })
                  .whereNotIn('status_class', classes),
              );
            }
          })
          .delete();
        if (present.length === 0) continue;
        const now = new Date();
        await tx('usage_rollups')
          .insert(
            aggregates.map((a: any) => {
              const calls = Number(a.calls);
              return {
                partner_id: partnerId,
                product_id: productId,
                environment: a.environment,
                granularity,
                bucket_start: start,
                status_class: a.status_class,
                calls,
                billable_calls: Number(a.billable_calls),
                latency_p50_ms:
                  calls > 0 ? Math.round(Number(a.p50_weighted) / calls) : null,
                latency_p95_ms: a.p95 === null ? null : Number(a.p95),
                latency_p99_ms: a.p99 === null ? null : Number(a.p99),
                source_version: 0,
                updated_at: now,
              };
            }),
          )
          .onConflict(KEY)
          .merge(VALUES);
      }
    }
  }

  /** Stored rows of a partner in `[from, to)`, oldest first. */
  async series(query: {
    partnerId: string;
    granularity: Granularity;
    from: number;
    to: number;
    productId?: string;
    environment?: UsageEnvironment;
  }): Promise<UsagePoint[]> {
    const rows = await this.db('usage_rollups')
      .where({ partner_id: query.partnerId, granularity: query.granularity })
      .andWhere('bucket_start', '>=', query.from)
      .andWhere('bucket_start', '<', query.to)
      .modify(q => {
        if (query.productId) q.where({ product_id: query.productId });
        if (query.environment) q.where({ environment: query.environment });
      })
      .orderBy(['bucket_start', 'product_id', 'environment', 'status_class'])
      .limit(50_000);
    return rows.map(toPoint);
  }

  /** Minute rows of exactly these buckets (for merging live counters). */
  async minutes(
    partnerId: string,
    keys: Array<{
      productId: string;
      environment: UsageEnvironment;
      bucketStart: number;
    }>,
  ): Promise<UsagePoint[]> {
    const points: UsagePoint[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const rows = await this.db('usage_rollups')
        .where({ partner_id: partnerId, granularity: 'minute' })
        .where(q => {
          for (const key of chunk) {
            q.orWhere({
              product_id: key.productId,
              environment: key.environment,
              bucket_start: key.bucketStart,
            });
          }
        });
      points.push(...rows.map(toPoint));
    }
    return points;
  }

  /** Calls and billable calls of a partner in `[from, to)`, per product and environment. */
  async sums(partnerId: string, from: number, to: number): Promise<UsageSum[]> {
    const rows = await this.db('usage_rollups')
      .where({ partner_id: partnerId, granularity: 'minute' })
      .andWhere('bucket_start', '>=', from)
      .andWhere('bucket_start', '<', to)
      .groupBy('product_id', 'environment')
      .select(
        'product_id',
        'environment',
        this.db.raw('sum(calls) as calls'),
        this.db.raw('sum(billable_calls) as billable_calls'),
      );
    return rows.map((row: any) => ({
      productId: row.product_id,
      environment: row.environment,
      calls: Number(row.calls),
      billableCalls: Number(row.billable_calls),
    }));
  }
}

function toPoint(row: any): UsagePoint {
  return {
    bucketStart: Number(row.bucket_start),
    productId: row.product_id,
    environment: row.environment,
    statusClass: row.status_class,
    calls: Number(row.calls),
    billableCalls: Number(row.billable_calls),
    latencyP50Ms:
      row.latency_p50_ms === null ? undefined : Number(row.latency_p50_ms),
    latencyP99Ms:
      row.latency_p99_ms === null ? undefined : Number(row.latency_p99_ms),
  };
}
