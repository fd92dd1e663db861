import { randomUUID } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import {
  InMemoryRateLimiter,
  InMemoryUsageStore,
  MeterSink,
  RateLimiter,
  RedisRateLimiter,
  RedisUsageStore,
  UsageBucketReader,
  UsageMeter,
} from '@portico/plugin-api-marketplace-node';
import { Redis } from 'ioredis';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations } from '../database/migrations';
import { UsageRollupStore } from '../database/UsageRollupStore';
import { UsageRollupJob } from './UsageRollupJob';

jest.setTimeout(60_000);
const databases = createTestDatabases();
const redisUrl =
  process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??
  'redis://127.0.0.1:6379';

const T = Date.UTC(2026, 10, 28, 13, 7, 12);
const MINUTE = T - (T % 60_000);

type Plane = {
  store: MeterSink & UsageBucketReader;
  limiter: RateLimiter;
  /** Rolled-up buckets expire within the hour (Redis); in memory, nothing to see. */
  expiresWithinHour(partnerId: string): Promise<boolean>;
  close(): Promise<void>;
};

function redisPlane(): Plane {
  const client = new Redis(redisUrl);
  const prefix = `portico-test-${randomUUID()}:`;
  return {
    store: new RedisUsageStore(client, { prefix }),
    limiter: new RedisRateLimiter(client, { prefix }),
    expiresWithinHour: async partnerId => {
      const keys = await client.keys(`${prefix}usage:{${partnerId}}:*`);
      const ttls = await Promise.all(keys.map(key => client.ttl(key)));
      return keys.length > 0 && ttls.every(ttl => ttl > 0 && ttl <= 3600);
    },
    close: async () => {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length) await client.del(...keys);
      await client.quit();
    },
  };
}

function memoryPlane(): Plane {
  const store = new InMemoryUsageStore({ now: () => T + 1_000 });
  return {
    store,
    limiter: new InMemoryRateLimiter({ usage: store }),
    expiresWithinHour: async () => true,
    close: async () => undefined,
  };
}

/** Admits and meters calls the way the gateway does. */
async function calls(
  plane: Plane,
  partnerId: string,
  environment: 'sandbox' | 'production',
  statuses: number[],
  at = T,
) {
  const meter = new UsageMeter({ sink: plane.store, autoFlush: false });
  for (const status of statuses) {
    const decision = await plane.limiter.check({
      partnerId,
      keyId: 'k1',
      productId: 'tracking',
      environment,
      ratePerSecond: 1000,
      hardMonthlyQuota: 1000,
      now: at,
    });
    expect(decision.allowed).toBe(true);
    meter.record({
      partnerId,
      productId: 'tracking',
      environment,
      at: decision.at,
      status,
      latencyMs: 12,
      quotaCounted: decision.quotaCounted,
      hasQuota: decision.hasQuota,
    });
  }
  await meter.close();
}

describe.each(databases.eachSupportedId())(
  'UsageRollupJob on %s',
  databaseId => {
    describe.each([
      ['Redis', redisPlane],
      ['in-memory', memoryPlane],
    ] as const)('with the %s usage store', (_name, makePlane) => {
      let plane: Plane;
      beforeEach(() => {
        plane = makePlane();
      });
      afterEach(() => plane.close());

      async function setup() {
        const knex = await databases.init(databaseId);
        await applyDatabaseMigrations(knex);
        const rollups = new UsageRollupStore(knex);
        const job = (reader: UsageBucketReader = plane.store) =>
          new UsageRollupJob({
            reader,
            store: rollups,
            logger: mockServices.logger.mock(),
            closeDelayMs: 120_000,
            now: () => T + 10 * 60_000,
          });
        const stored = async (partnerId: string) =>
          (
            await rollups.series({
              partnerId,
              granularity: 'minute',
              from: MINUTE,
              to: MINUTE + 60_000,
            })
          ).map(p => [p.environment, p.statusClass, p.calls, p.billableCalls]);
        return { rollups, job, stored };
      }

      it('stores closed buckets with billable calls, idempotently, and lets them expire', async () => {
        const { job, stored, rollups } = await setup();
        const partner = randomUUID();
        await calls(plane, partner, 'production', [200, 200, 404, 503, 302]);
        await calls(plane, partner, 'sandbox', [200, 200]);

        // Not closed yet: nothing happens.
        const early = new UsageRollupJob({
          reader: plane.store,
          store: rollups,
          logger: mockServices.logger.mock(),
          closeDelayMs: 120_000,
          now: () => T + 30_000,
        });
        expect(await early.run()).toEqual({ buckets: 0, marked: 0 });

        expect(await job().run()).toEqual({ buckets: 2, marked: 2 });
        const expected = [
          ['production', '2xx', 2, 2],
          ['production', '3xx', 1, 1],
          ['production', '4xx', 1, 1],
          ['production', '5xx', 1, 0],
          ['sandbox', '2xx', 2, 0],
        ];
        expect(await stored(partner)).toEqual(expected);
        // Marked: the next run finds nothing and the bucket will expire.
        expect(await job().run()).toEqual({ buckets: 0, marked: 0 });
        expect(await plane.expiresWithinHour(partner)).toBe(true);
        expect(await stored(partner)).toEqual(expected);
      });

      it('counts nothing twice after a crash between the write and the mark', async () => {
        const { job, stored } = await setup();
        const partner = randomUUID();
        await calls(plane, partner, 'production', [200, 201, 500]);
        const crashing: UsageBucketReader = {
          readClosedBuckets: before => plane.store.readClosedBuckets(before),
          markRolledUp: async () => {
            throw new Error('process killed');
          },
        };
        await expect(job(crashing).run()).rejects.toThrow(
          /Usage rollup stopped after 0 buckets; caused by Error: process killed/,
        );
        // Written but not marked: the next run writes the same totals again.
        expect(await stored(partner)).toEqual([
          ['production', '2xx', 2, 2],
          ['production', '5xx', 1, 0],
        ]);
        expect(await job().run()).toEqual({ buckets: 1, marked: 1 });
        expect(await stored(partner)).toEqual([
          ['production', '2xx', 2, 2],
          ['production', '5xx', 1, 0],
        ]);
      });

      it('counts nothing twice when two backends run at once, and picks up late calls', async () => {
        const { job, stored } = await setup();
        const partner = randomUUID();
        await calls(plane, partner, 'production', [200, 200, 200]);
        await Promise.all([job().run(), job().run(), job().run()]);
        expect(await stored(partner)).toEqual([['production', '2xx', 3, 3]]);

        // A long call admitted in that minute finishes after the rollup.
        await calls(plane, partner, 'production', [200, 502]);
        expect(await job().run()).toEqual({ buckets: 1, marked: 1 });
        expect(await stored(partner)).toEqual([
          ['production', '2xx', 4, 4],
          ['production', '5xx', 1, 0],
        ]);
      });
    });
  },
);
