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
          previousHash: 'a'.repeat(64),
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
