import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations } from './migrations';
import { MinuteBucket, UsageRollupStore } from './UsageRollupStore';

jest.setTimeout(60_000);
const databases = createTestDatabases();

const hour = Date.UTC(2026, 10, 28, 13);

function minute(m: number, calls: number, version = 1): MinuteBucket {
  return {
    partnerId: 'p1',
    productId: 'tracking',
    environment: 'production',
    bucketStart: hour + m * 60_000,
    version,
    classes: { '2xx': { calls, billableCalls: calls } },
    latencyP50Ms: 4,
    latencyP95Ms: 10,
    latencyP99Ms: 20 + m,
  };
}

describe.each(databases.eachSupportedId())(
  'UsageRollupStore on %s',
  databaseId => {
    it('sets buckets, so re-running a rollup changes nothing, and derives hours and days', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = new UsageRollupStore(knex);
      const minutes = [0, 1, 59].map(m => minute(m, 10 * (m + 1)));
      await store.setBuckets(minutes);
      await store.setBuckets(minutes); // a re-run, or a second replica
      // The first minute read again later, with a 5xx call that is not billable.
      await store.setBuckets([
        {
          ...minutes[0],
          version: 2,
          classes: {
            '2xx': { calls: 10, billableCalls: 10 },
            '5xx': { calls: 3, billableCalls: 0 },
          },
        },
      ]);

      const hours = await store.series({
        partnerId: 'p1',
        granularity: 'hour',
        from: hour,
        to: hour + 3_600_000,
      });
      expect(hours).toEqual([
        {
          bucketStart: hour,
          productId: 'tracking',
          environment: 'production',
          statusClass: '2xx',
          calls: 10 + 20 + 600,
          billableCalls: 630,
          latencyP50Ms: 4,
          latencyP99Ms: 79,
        },
        expect.objectContaining({
          statusClass: '5xx',
          calls: 3,
          billableCalls: 0,
        }),
      ]);
      const days = await store.series({
        partnerId: 'p1',
        granularity: 'day',
        from: Date.UTC(2026, 10, 28),
        to: Date.UTC(2026, 10, 29),
      });
      expect(days.reduce((sum, p) => sum + p.calls, 0)).toBe(633);
      expect(await store.sums('p1', hour, hour + 3_600_000)).toEqual([
        {
          productId: 'tracking',
          environment: 'production',
          calls: 633,
          billableCalls: 630,
        },
      ]);
      expect(await store.sums('p2', hour, hour + 3_600_000)).toEqual([]);
    });

    it('never lets an older read of a bucket replace a newer one, and drops classes a bucket no longer has', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = new UsageRollupStore(knex);
      // A bucket whose outcome was not metered yet: billable booked on 2xx.
      await store.setBuckets([
        {
          ...minute(5, 0, 3),
          classes: { '2xx': { calls: 0, billableCalls: 2 } },
        },
      ]);
      // Newer: the two calls ended 4xx.
      const newer: MinuteBucket = {
        ...minute(5, 0, 4),
        classes: { '4xx': { calls: 2, billableCalls: 2 } },
      };
      await store.setBuckets([newer]);
      // A slow rollup that read version 3 writes last: ignored.
      await store.setBuckets([
        {
          ...minute(5, 0, 3),
          classes: { '2xx': { calls: 0, billableCalls: 2 } },
        },
      ]);
      const rows = await store.minutes('p1', [
        {
          productId: 'tracking',
          environment: 'production',
          bucketStart: newer.bucketStart,
        },
      ]);
      expect(rows).toEqual([
        expect.objectContaining({
          statusClass: '4xx',
          calls: 2,
          billableCalls: 2,
        }),
      ]);
      const hours = await store.series({
        partnerId: 'p1',
        granularity: 'hour',
        from: hour,
        to: hour + 3_600_000,
      });
      expect(hours.map(h => [h.statusClass, h.calls, h.billableCalls])).toEqual(
        [['4xx', 2, 2]],
      );
    });
  },
);
