import { Knex } from 'knex';

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';
export type Granularity = 'minute' | 'hour' | 'day';

/** One closed minute of one partner × product × environment × status class. */
export type MinuteRollup = {
  partnerId: string;
  productId: string;
  environment: 'sandbox' | 'production';
  bucketStart: number;
  statusClass: StatusClass;
  calls: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  latencyP99Ms?: number;
};

export type UsagePoint = {
  bucketStart: string;
  productId: string;
  environment: 'sandbox' | 'production';
  statusClass: StatusClass;
  calls: number;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
};

const KEY = [
  'partner_id',
  'product_id',
  'environment',
  'granularity',
  'bucket_start',
  'status_class',
];
const SIZES: Record<Exclude<Granularity, 'minute'>, number> = {
  hour: 3_600_000,
  day: 86_400_000,
};

/**
 * Durable usage: the record billing reads. Every write SETS a bucket to its
 * final value, so re-running a rollup, or two backends running it at once,
 * changes nothing.
 */
export class UsageRollupStore {
  constructor(private readonly db: Knex) {}

  async setMinutes(rows: MinuteRollup[]): Promise<void> {
    if (rows.length === 0) return;
    const now = new Date();
    for (let i = 0; i < rows.length; i += 200) {
      await this.db('usage_rollups')
        .insert(
          rows.slice(i, i + 200).map(row => ({
            partner_id: row.partnerId,
            product_id: row.productId,
            environment: row.environment,
            granularity: 'minute',
            bucket_start: row.bucketStart,
            status_class: row.statusClass,
            calls: row.calls,
            latency_p50_ms: row.latencyP50Ms ?? null,
            latency_p95_ms: row.latencyP95Ms ?? null,
            latency_p99_ms: row.latencyP99Ms ?? null,
            updated_at: now,
          })),
        )
        .onConflict(KEY)
        .merge([
          'calls',
          'latency_p50_ms',
          'latency_p95_ms',
          'latency_p99_ms',
          'updated_at',
        ]);
    }
    await this.rebuild(rows);
  }

  /**
   * Recomputes the hour and day buckets that contain the given minutes from
   * the minute rows. Percentiles of coarser buckets are approximations: the
   * call-weighted mean of minute p50s, and the largest minute p95/p99.
   */
  private async rebuild(rows: MinuteRollup[]): Promise<void> {
    for (const granularity of ['hour', 'day'] as const) {
      const size = SIZES[granularity];
      const groups = new Map<string, { partnerId: string; bucket: number }>();
      for (const row of rows) {
        const bucket = row.bucketStart - (row.bucketStart % size);
        groups.set(`${row.partnerId}|${bucket}`, {
          partnerId: row.partnerId,
          bucket,
        });
      }
      for (const { partnerId, bucket } of groups.values()) {
        const aggregates = await this.db('usage_rollups')
          .where({ partner_id: partnerId, granularity: 'minute' })
          .andWhere('bucket_start', '>=', bucket)
          .andWhere('bucket_start', '<', bucket + size)
          .groupBy('product_id', 'environment', 'status_class')
          .select(
            'product_id',
            'environment',
            'status_class',
            this.db.raw('sum(calls) as calls'),
            this.db.raw(
              'sum(calls * coalesce(latency_p50_ms, 0)) as p50_weighted',
            ),
            this.db.raw('max(latency_p95_ms) as p95'),
            this.db.raw('max(latency_p99_ms) as p99'),
          );
        if (aggregates.length === 0) continue;
        await this.db('usage_rollups')
          .insert(
            aggregates.map((a: any) => ({
              partner_id: partnerId,
              product_id: a.product_id,
              environment: a.environment,
              granularity,
              bucket_start: bucket,
              status_class: a.status_class,
              calls: Number(a.calls),
              latency_p50_ms:
                Number(a.calls) > 0
                  ? Math.round(Number(a.p50_weighted) / Number(a.calls))
                  : null,
              latency_p95_ms: a.p95 === null ? null : Number(a.p95),
              latency_p99_ms: a.p99 === null ? null : Number(a.p99),
              updated_at: new Date(),
            })),
          )
          .onConflict(KEY)
          .merge([
            'calls',
            'latency_p50_ms',
            'latency_p95_ms',
            'latency_p99_ms',
            'updated_at',
          ]);
      }
    }
  }

  async series(query: {
    partnerId: string;
    granularity: Granularity;
    from: number;
    to: number;
    productId?: string;
  }): Promise<UsagePoint[]> {
    const rows = await this.db('usage_rollups')
      .where({ partner_id: query.partnerId, granularity: query.granularity })
      .andWhere('bucket_start', '>=', query.from)
      .andWhere('bucket_start', '<', query.to)
      .modify(q => {
        if (query.productId) q.where({ product_id: query.productId });
      })
      .orderBy('bucket_start', 'asc')
      .limit(10_000);
    return rows.map((row: any) => ({
      bucketStart: new Date(Number(row.bucket_start)).toISOString(),
      productId: row.product_id,
      environment: row.environment,
      statusClass: row.status_class,
      calls: Number(row.calls),
      latencyP50Ms: row.latency_p50_ms ?? undefined,
      latencyP99Ms: row.latency_p99_ms ?? undefined,
    }));
  }

  /** Rolled-up calls of a period per product, environment and status class. */
  async totals(partnerId: string, from: number, to: number) {
    const rows = await this.db('usage_rollups')
      .where({ partner_id: partnerId, granularity: 'minute' })
      .andWhere('bucket_start', '>=', from)
      .andWhere('bucket_start', '<', to)
      .groupBy('product_id', 'environment', 'status_class')
      .select(
        'product_id',
        'environment',
        'status_class',
        this.db.raw('sum(calls) as calls'),
      );
    return rows.map((row: any) => ({
      productId: row.product_id as string,
      environment: row.environment as 'sandbox' | 'production',
      statusClass: row.status_class as StatusClass,
      calls: Number(row.calls),
    }));
  }
}
