import { mockServices } from '@backstage/backend-test-utils';
import {
  InMemoryRateLimiter,
  InMemoryUsageStore,
  UsageMeter,
} from '@portico/plugin-api-marketplace-node';
import { marketplaceBlock } from '../__fixtures__/entities';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations } from '../database/migrations';
import type { Subscription } from '../database/SubscriptionStore';
import { UsageRollupStore } from '../database/UsageRollupStore';
import { InMemoryLiveUsage, LiveUsageSource } from './LiveUsage';
import { UsageRollupJob } from './UsageRollupJob';
import { UsageService } from './UsageService';

jest.setTimeout(60_000);
const databases = createTestDatabases();

const HOUR = Date.UTC(2026, 10, 28, 13);
const PARTNER = '0b8f9d52-2a1c-4c55-9a57-6f0a8b0d2e11';
const subscription: Subscription = {
  id: 's1',
  partnerId: PARTNER,
  productId: 'tracking',
  plan: 'free',
  status: 'active',
  currentPeriodStart: new Date(Date.UTC(2026, 10, 1)).toISOString(),
  currentPeriodEnd: new Date(Date.UTC(2026, 11, 1)).toISOString(),
  createdAt: new Date(Date.UTC(2026, 10, 1)).toISOString(),
};

describe.each(databases.eachSupportedId())('UsageService on %s', databaseId => {
  it('adds live counters to the rollups without counting a minute twice, before and after it is rolled up', async () => {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
    let now = HOUR + 5 * 60_000;
    const usage = new InMemoryUsageStore({ now: () => now });
    const limiter = new InMemoryRateLimiter({ usage, now: () => now });
    const meter = new UsageMeter({ sink: usage, autoFlush: false });
    const rollups = new UsageRollupStore(knex);
    const job = new UsageRollupJob({
      reader: usage,
      store: rollups,
      logger: mockServices.logger.mock(),
      closeDelayMs: 120_000,
      now: () => now,
    });
    const record = async (at: number, statuses: number[]) => {
      for (const status of statuses) {
        const decision = await limiter.check({
          partnerId: PARTNER,
          keyId: 'k1',
          productId: 'tracking',
          environment: 'production',
          ratePerSecond: 1000,
          hardMonthlyQuota: 1000,
          now: at,
        });
        meter.record({
          partnerId: PARTNER,
          productId: 'tracking',
          environment: 'production',
          at: decision.at,
          status,
          latencyMs: 20,
          quotaCounted: decision.quotaCounted,
          hasQuota: decision.hasQuota,
        });
      }
      await meter.flush();
    };
    let live: LiveUsageSource = new InMemoryLiveUsage(usage);
    const service = () =>
      new UsageService(
        rollups,
        live,
        { history: async () => [subscription] },
        { get: async () => marketplaceBlock as any },
        mockServices.logger.mock(),
        { liveWindowMs: 12 * 60_000, now: () => now },
      );
    const report = (granularity: 'minute' | 'hour') =>
      service().report({
        partnerId: PARTNER,
        granularity,
        from: new Date(HOUR).toISOString(),
        to: new Date(HOUR + 3_600_000).toISOString(),
        environment: 'production',
      });
    const totals = async (granularity: 'minute' | 'hour') => {
      const r = await report(granularity);
      const items = r.items.reduce(
        (sum, i) => [sum[0] + i.calls, sum[1] + i.billableCalls],
        [0, 0],
      );
      return {
        total: [r.totals[0].calls, r.totals[0].billableCalls],
        items,
        buckets: r.items.length,
        quotaRemaining: r.totals[0].quotaRemaining,
      };
    };

    // Minute 1 (closed) and minute 5 (open).
    await record(HOUR + 60_000, [200, 200, 500]);
    await record(HOUR + 5 * 60_000, [200]);
    expect(await totals('minute')).toEqual({
      total: [4, 3],
      items: [4, 3],
      buckets: 2,
      quotaRemaining: 997,
    });

    // Minute 1 is rolled up: the database has it, the store marks it.
    expect(await job.run()).toEqual({ buckets: 1, marked: 1 });
    for (const granularity of ['minute', 'hour'] as const) {
      expect(await totals(granularity)).toMatchObject({
        total: [4, 3],
        items: [4, 3],
      });
    }

    // A late call of minute 1 revives its bucket: it replaces the stored row.
    await record(HOUR + 60_000, [201]);
    for (const granularity of ['minute', 'hour'] as const) {
      expect(await totals(granularity)).toMatchObject({
        total: [5, 4],
        items: [5, 4],
      });
    }
    expect((await report('hour')).items).toEqual([
      expect.objectContaining({
        calls: 5,
        billableCalls: 4,
        statusClasses: { '2xx': 4, '3xx': 0, '4xx': 0, '5xx': 1 },
        latencyP50Ms: 20,
      }),
    ]);

    // Everything rolled up: the database alone gives the same answer.
    now = HOUR + 20 * 60_000;
    await job.run();
    expect(await totals('hour')).toMatchObject({
      total: [5, 4],
      items: [5, 4],
    });

    // The store unreachable: rollups only, and the report says so.
    live = {
      buckets: async () => {
        throw new Error('ECONNREFUSED');
      },
      quotaUsed: async () => 0,
    };
    const degraded = await report('hour');
    expect(degraded.live).toBe(false);
    expect(degraded.totals[0]).toMatchObject({ calls: 5, billableCalls: 4 });
    expect(degraded.totals[0].quotaRemaining).toBeUndefined();
  });
});
