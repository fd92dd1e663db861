import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrationConfig } from './migrations';

jest.setTimeout(60_000);
const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('adds billable calls to existing rollups by the billable rule, and steps back down', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.up({
      ...migrationConfig,
      name: '20261128000000_init.js',
    });
    const row = {
      partner_id: 'p1',
      product_id: 'tracking',
      granularity: 'minute',
      bucket_start: Date.UTC(2026, 10, 28, 13),
    };
    await knex('usage_rollups').insert([
      { ...row, environment: 'production', status_class: '2xx', calls: 7 },
      { ...row, environment: 'production', status_class: '5xx', calls: 2 },
      { ...row, environment: 'sandbox', status_class: '2xx', calls: 5 },
    ]);

    await knex.migrate.up({
      ...migrationConfig,
      name: '20261205000000_usage_billable_calls.js',
    });
    const rows = await knex('usage_rollups')
      .orderBy(['environment', 'status_class'])
      .select(
        'environment',
        'status_class',
        'billable_calls',
        'source_version',
      );
    expect(
      rows.map(r => [
        r.environment,
        r.status_class,
        Number(r.billable_calls),
        Number(r.source_version),
      ]),
    ).toEqual([
      ['production', '2xx', 7, 0],
      ['production', '5xx', 0, 0],
      ['sandbox', '2xx', 0, 0],
    ]);

    await knex.migrate.down(migrationConfig);
    expect(await knex.schema.hasColumn('usage_rollups', 'billable_calls')).toBe(
      false,
    );
    expect(Number((await knex('usage_rollups').count({ n: '*' }))[0].n)).toBe(
      3,
    );
  });
});
