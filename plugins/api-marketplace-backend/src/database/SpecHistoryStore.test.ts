import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations, migrationConfig } from './migrations';
import { SpecHistoryStore } from './SpecHistoryStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'SpecHistoryStore on %s',
  databaseId => {
    it('records each distinct spec once and lists newest first', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = new SpecHistoryStore(knex);
      const base = {
        productId: 'tracking',
        entityRef: 'api:default/tracking',
        changes: [],
      };

      expect(
        await store.record({
          ...base,
          specHash: 'a'.repeat(64),
          version: '1.0.0',
          specText: 'v1',
        }),
      ).toBe(true);
      // Recording the same spec again (a re-run, a second replica) writes nothing.
      expect(
        await store.record({
          ...base,
          specHash: 'a'.repeat(64),
          version: '1.0.0',
          specText: 'v1',
        }),
      ).toBe(false);
      expect(
        await store.record({
          ...base,
          specHash: 'b'.repeat(64),
          version: '1.1.0',
          specText: 'v2',
          changes: [
            {
              kind: 'operation-removed',
              operation: 'GET /a',
              detail: 'removed',
              breaking: true,
            },
          ],
        }),
      ).toBe(true);

      const history = await store.list('tracking');
      expect(history.map(v => v.version)).toEqual(['1.1.0', '1.0.0']);
      expect(history[0]).toMatchObject({
        breaking: true,
        previousHash: 'a'.repeat(64),
      });
      expect(history[1].breaking).toBe(false);
      expect(await store.latest('tracking')).toEqual({
        specHash: 'b'.repeat(64),
        specText: 'v2',
      });
      expect(await store.list('routing')).toEqual([]);
    });

    it('records a spec that comes back, every time, and ends on the published one', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const store = new SpecHistoryStore(knex);
      const spec = (hash: string, version: string) => ({
        productId: 'pickups',
        entityRef: 'api:default/pickups',
        specHash: hash.repeat(64),
        version,
        specText: `spec ${version}`,
        changes: [],
      });

      // A -> B -> A -> B: a change, its rollback, and the change again.
      for (const [hash, version] of [
        ['a', '1'],
        ['b', '2'],
        ['a', '1'],
        ['b', '2'],
      ]) {
        expect(await store.record(spec(hash, version))).toBe(true);
      }
      expect((await store.list('pickups')).map(v => v.version)).toEqual([
        '2',
        '1',
        '2',
        '1',
      ]);
      expect((await store.list('pickups'))[0].previousHash).toBe(
        'a'.repeat(64),
      );
      expect((await store.latest('pickups'))?.specHash).toBe('b'.repeat(64));

      // Two replicas recording the same change at once: one row.
      const results = await Promise.all([
        store.record(spec('c', '3')),
        store.record(spec('c', '3')),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.record(spec('c', '3'))).toBe(false);
      expect(await store.list('pickups')).toHaveLength(5);
    });

    it('keeps the history of an existing database through the migration', async () => {
      const knex = await databases.init(databaseId);
      // The schema before the chain: the old unique key, no previous_id.
      await applyDatabaseMigrations(knex);
      await knex.migrate.down(migrationConfig);
      expect(await knex.schema.hasColumn('spec_versions', 'previous_id')).toBe(
        false,
      );
      const row = (hash: string, previous: string, version: string) => ({
        product_id: 'pickups',
        entity_ref: 'api:default/pickups',
        spec_hash: hash.repeat(64),
        version,
        spec_text: `spec ${version}`,
        previous_hash: previous ? previous.repeat(64) : '',
        changes: '[]',
      });
      await knex('spec_versions').insert([
        row('a', '', '1'),
        row('b', 'a', '2'),
        row('a', 'b', '1'),
      ]);
      await applyDatabaseMigrations(knex);

      const store = new SpecHistoryStore(knex);
      expect(
        (await knex('spec_versions').orderBy('id').select('previous_id')).map(
          r => r.previous_id,
        ),
      ).toEqual([0, 1, 2]);
      expect(
        await store.record({
          productId: 'pickups',
          entityRef: 'api:default/pickups',
          specHash: 'b'.repeat(64),
          version: '2',
          specText: 'spec 2',
          changes: [],
        }),
      ).toBe(true);
      expect((await store.latest('pickups'))?.specHash).toBe('b'.repeat(64));
    });

    it('migrates down and up again cleanly', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await knex.migrate.rollback(migrationConfig, true);
      expect(await knex.schema.hasTable('partners')).toBe(false);
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('api_keys')).toBe(true);
      expect(await knex.schema.hasTable('usage_rollups')).toBe(true);
    });
  },
);
