import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  PlanId,
  UsageItem,
  UsageReport,
  UsageTotal,
} from '@portico/plugin-api-marketplace-common';
import {
  GRANULARITY_MS,
  Granularity,
  MinuteBucket,
  STATUS_CLASSES,
  StatusClass,
  UsageEnvironment,
  UsagePoint,
  UsageRollupStore,
} from '../database/UsageRollupStore';
import type { Subscription } from '../database/SubscriptionStore';
import type { GatewayProductSource } from '../gateway/DatabaseKeyLookup';
import { LiveUsageSource, UsageDimension } from './LiveUsage';
import { toMinuteBucket } from './minuteBucket';

export type UsageQuery = {
  partnerId: string;
  /** ISO date-time, inclusive; rounded down to the granularity. */
  from?: string;
  /** ISO date-time, exclusive; rounded up to the granularity. */
  to?: string;
  granularity?: Granularity;
  productId?: string;
  environment?: UsageEnvironment;
};

/** Longest range per granularity, so one answer stays a few thousand items. */
const MAX_RANGE_MS: Record<Granularity, number> = {
  minute: 86_400_000,
  hour: 93 * 86_400_000,
  day: 732 * 86_400_000,
};
/** The range when `from` is not given. */
const DEFAULT_RANGE_MS: Record<Granularity, number> = {
  minute: 3_600_000,
  hour: 86_400_000,
  day: 30 * 86_400_000,
};
const ENVIRONMENTS: readonly UsageEnvironment[] = ['production', 'sandbox'];

type Accumulator = {
  bucketStart: number;
  productId: string;
  environment: UsageEnvironment;
  classes: Record<StatusClass, number>;
  billableCalls: number;
  latencyWeight: number;
  latencyWeighted: number;
  latencyP99Ms?: number;
};

function floorTo(at: number, size: number): number {
  return at - (at % size);
}

function parseTime(name: string, value: string | undefined, fallback: number) {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InputError(`${name} must be an ISO 8601 date-time`);
  }
  return ms;
}

/**
 * `GET /v1/usage`: the rollups in the database plus the live counters of
 * the usage store, so a call shows up within seconds, not after the rollup.
 * A minute is counted once: when the usage store still has it, its totals
 * replace the database's row of that minute (the store's value is the same
 * bucket, at least as recent); otherwise the database row counts.
 */
export class UsageService {
  private readonly liveWindowMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: UsageRollupStore,
    private readonly live: LiveUsageSource,
    private readonly subscriptions: {
      history(partnerId: string): Promise<Subscription[]>;
    },
    private readonly products: GatewayProductSource,
    private readonly logger: Pick<LoggerService, 'warn'>,
    options: {
      /** How far back the usage store is read; covers the rollup's lag. */
      liveWindowMs: number;
      now?: () => number;
    },
  ) {
    this.liveWindowMs = options.liveWindowMs;
    this.now = options.now ?? Date.now;
  }

  async report(query: UsageQuery): Promise<UsageReport> {
    const now = this.now();
    const granularity = query.granularity ?? 'hour';
    const size = GRANULARITY_MS[granularity];
    const rawTo = parseTime('to', query.to, now);
    const rawFrom = parseTime(
      'from',
      query.from,
      rawTo - DEFAULT_RANGE_MS[granularity],
    );
    if (rawFrom >= rawTo) throw new InputError('from must be before to');
    const from = floorTo(rawFrom, size);
    const to = floorTo(rawTo + size - 1, size);
    if (to - from > MAX_RANGE_MS[granularity]) {
      throw new InputError(
        `A ${granularity} report covers at most ${
          MAX_RANGE_MS[granularity] / 86_400_000
        } days; narrow from/to or use a coarser granularity`,
      );
    }
    const { partnerId } = query;

    const subscriptions = await this.subscriptions.history(partnerId);
    const productIds = [...new Set(subscriptions.map(s => s.productId))].filter(
      id => !query.productId || id === query.productId,
    );
    const environments = query.environment ? [query.environment] : ENVIRONMENTS;
    const dimensions: UsageDimension[] = productIds.flatMap(productId =>
      environments.map(environment => ({ productId, environment })),
    );

    // The live counters first: a bucket rolled up meanwhile is then in the
    // database when it is read below, so nothing falls between the two.
    let live = true;
    let liveBuckets: MinuteBucket[] = [];
    const liveFrom = Math.max(from, floorTo(now - this.liveWindowMs, 60_000));
    const liveTo = Math.min(to, now + 60_000);
    if (dimensions.length > 0 && liveFrom < liveTo) {
      try {
        liveBuckets = (
          await this.live.buckets(partnerId, dimensions, liveFrom, liveTo)
        ).map(toMinuteBucket);
      } catch (error) {
        live = false;
        this.logger.warn(
          `Usage report without live counters (usage store unreachable): ${error}`,
        );
      }
    }

    const [series, replaced, sums] = await Promise.all([
      this.store.series({
        partnerId,
        granularity,
        from,
        to,
        productId: query.productId,
        environment: query.environment,
      }),
      this.store.minutes(
        partnerId,
        liveBuckets.map(b => ({
          productId: b.productId,
          environment: b.environment,
          bucketStart: b.bucketStart,
        })),
      ),
      this.store.sums(partnerId, from, to),
    ]);

    return {
      partnerId,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      granularity,
      items: this.items(size, series, replaced, liveBuckets),
      totals: await this.totals(
        query,
        subscriptions,
        sums,
        replaced,
        liveBuckets,
        live,
        now,
      ),
      live,
    };
  }

  private items(
    size: number,
    series: UsagePoint[],
    replaced: UsagePoint[],
    liveBuckets: MinuteBucket[],
  ): UsageItem[] {
    const items = new Map<string, Accumulator>();
    const at = (
      bucketStart: number,
      productId: string,
      environment: UsageEnvironment,
    ) => {
      const start = floorTo(bucketStart, size);
      const id = `${start}\u0000${productId}\u0000${environment}`;
      let item = items.get(id);
      if (!item) {
        item = {
          bucketStart: start,
          productId,
          environment,
          classes: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
          billableCalls: 0,
          latencyWeight: 0,
          latencyWeighted: 0,
        };
        items.set(id, item);
      }
      return item;
    };
    const latency = (
      item: Accumulator,
      calls: number,
      p50?: number,
      p99?: number,
    ) => {
      if (p50 !== undefined && calls > 0) {
        item.latencyWeight += calls;
        item.latencyWeighted += calls * p50;
      }
      if (p99 !== undefined) {
        item.latencyP99Ms = Math.max(item.latencyP99Ms ?? 0, p99);
      }
    };

    for (const point of series) {
      const item = at(point.bucketStart, point.productId, point.environment);
      item.classes[point.statusClass] += point.calls;
      item.billableCalls += point.billableCalls;
      latency(item, point.calls, point.latencyP50Ms, point.latencyP99Ms);
    }
    for (const point of replaced) {
      const item = at(point.bucketStart, point.productId, point.environment);
      item.classes[point.statusClass] -= point.calls;
      item.billableCalls -= point.billableCalls;
    }
    for (const bucket of liveBuckets) {
      const item = at(bucket.bucketStart, bucket.productId, bucket.environment);
      let calls = 0;
      for (const statusClass of STATUS_CLASSES) {
        const counts = bucket.classes[statusClass];
        if (!counts) continue;
        item.classes[statusClass] += counts.calls;
        item.billableCalls += counts.billableCalls;
        calls += counts.calls;
      }
      latency(item, calls, bucket.latencyP50Ms, bucket.latencyP99Ms);
    }

    return [...items.values()]
      .map(item => ({
        ...item,
        calls: STATUS_CLASSES.reduce((n, c) => n + item.classes[c], 0),
      }))
      .filter(item => item.calls > 0 || item.billableCalls > 0)
      .sort(
        (a, b) =>
          a.bucketStart - b.bucketStart ||
          a.productId.localeCompare(b.productId) ||
          a.environment.localeCompare(b.environment),
      )
      .map(item => ({
        bucketStart: new Date(item.bucketStart).toISOString(),
        productId: item.productId,
        environment: item.environment,
        calls: item.calls,
        billableCalls: item.billableCalls,
        statusClasses: item.classes,
        ...(item.latencyWeight > 0
          ? {
              latencyP50Ms: Math.round(
                item.latencyWeighted / item.latencyWeight,
              ),
            }
          : {}),
        ...(item.latencyP99Ms !== undefined
          ? { latencyP99Ms: item.latencyP99Ms }
          : {}),
      }));
  }

  private async totals(
    query: UsageQuery,
    subscriptions: Subscription[],
    sums: Awaited<ReturnType<UsageRollupStore['sums']>>,
    replaced: UsagePoint[],
    liveBuckets: MinuteBucket[],
    live: boolean,
    now: number,
  ): Promise<UsageTotal[]> {
    const totals = new Map<
      string,
      {
        productId: string;
        environment: UsageEnvironment;
        calls: number;
        billableCalls: number;
      }
    >();
    const entry = (productId: string, environment: UsageEnvironment) => {
      const id = `${productId}\u0000${environment}`;
      let total = totals.get(id);
      if (!total) {
        total = { productId, environment, calls: 0, billableCalls: 0 };
        totals.set(id, total);
      }
      return total;
    };
    const wanted = (productId: string, environment: UsageEnvironment) =>
      (!query.productId || productId === query.productId) &&
      (!query.environment || environment === query.environment);

    // Every live subscription shows, with its quota, before its first call.
    for (const subscription of subscriptions) {
      if (subscription.status !== 'active') continue;
      for (const environment of ENVIRONMENTS) {
        if (wanted(subscription.productId, environment)) {
          entry(subscription.productId, environment);
        }
      }
    }
    for (const sum of sums) {
      if (!wanted(sum.productId, sum.environment)) continue;
      const total = entry(sum.productId, sum.environment);
      total.calls += sum.calls;
      total.billableCalls += sum.billableCalls;
    }
    for (const point of replaced) {
      const total = entry(point.productId, point.environment);
      total.calls -= point.calls;
      total.billableCalls -= point.billableCalls;
    }
    for (const bucket of liveBuckets) {
      const total = entry(bucket.productId, bucket.environment);
      for (const counts of Object.values(bucket.classes)) {
        total.calls += counts.calls;
        total.billableCalls += counts.billableCalls;
      }
    }

    const planOf = (productId: string): PlanId => {
      const own = subscriptions.filter(s => s.productId === productId);
      const active = own.filter(s => s.status === 'active');
      return (active[active.length - 1] ?? own[own.length - 1])?.plan ?? 'free';
    };
    const result: UsageTotal[] = [];
    for (const total of [...totals.values()].sort(
      (a, b) =>
        a.productId.localeCompare(b.productId) ||
        a.environment.localeCompare(b.environment),
    )) {
      const plan = planOf(total.productId);
      const item: UsageTotal = { ...total, plan };
      const product = await this.products.get(total.productId);
      if (product && plan === 'free') {
        item.monthlyQuota = product.pricing.free.monthlyQuota;
        if (live) {
          try {
            const used = await this.live.quotaUsed(
              query.partnerId,
              { productId: total.productId, environment: total.environment },
              now,
            );
            item.quotaRemaining = Math.max(0, item.monthlyQuota - used);
          } catch (error) {
            this.logger.warn(`Could not read a quota counter: ${error}`);
          }
        }
      } else if (product && plan !== 'free') {
        item.includedCalls = product.pricing[plan].includedCalls;
      }
      result.push(item);
    }
    return result;
  }
}
