import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations } from './migrations';
import { MinuteRollup, UsageRollupStore } from './UsageRollupStore';

jest.setTimeout(60_000);
const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'UsageRollupStore on %s',
  databaseId => {
    it('sets buckets, so re-running a rollup changes nothing, and derives hours and days', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = new UsageRollupStore(knex);
      const hour = Date.UTC(2026, 10, 28, 13);
      const minutes: MinuteRollup[] = [0, 1, 59].map(m => ({
        partnerId: 'p1',
        productId: 'tracking',
        environment: 'production',
        bucketStart: hour + m * 60_000,
        statusClass: '2xx',
        calls: 10 * (m + 1),
        latencyP50Ms: 4,
        latencyP99Ms: 20 + m,
      }));
      await store.setMinutes(minutes);
      await store.setMinutes(minutes); // a re-run, or a second replica
      await store.setMinutes([{ ...minutes[0], statusClass: '5xx', calls: 3 }]);

      const hours = await store.series({
        partnerId: 'p1',
        granularity: 'hour',
        from: hour,
        to: hour + 3_600_000,
      });
      expect(hours).toHaveLength(2);
      expect(hours).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            statusClass: '2xx',
            calls: 10 + 20 + 600,
            latencyP50Ms: 4,
            latencyP99Ms: 79,
          }),
          expect.objectContaining({ statusClass: '5xx', calls: 3 }),
        ]),
      );
      const days = await store.series({
        partnerId: 'p1',
        granularity: 'day',
        from: Date.UTC(2026, 10, 28),
        to: Date.UTC(2026, 10, 29),
      });
      expect(days.reduce((sum, p) => sum + p.calls, 0)).toBe(633);
      expect(await store.totals('p1', hour, hour + 3_600_000)).toEqual(
        expect.arrayContaining([
          {
            productId: 'tracking',
            environment: 'production',
            statusClass: '2xx',
            calls: 630,
          },
          {
            productId: 'tracking',
            environment: 'production',
            statusClass: '5xx',
            calls: 3,
          },
        ]),
      );
      expect(await store.totals('p2', hour, hour + 3_600_000)).toEqual([]);
    });
  },
);
