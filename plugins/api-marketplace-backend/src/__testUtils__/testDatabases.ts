import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * Test databases for store tests. Under CI=true a missing Postgres is an
 * error, never a silent fall back to SQLite only.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  if (
    process.env.CI === 'true' &&
    !process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
  ) {
    throw new Error(
      'CI=true but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set; Postgres tests must run',
    );
  }
  return databases;
}

export type { TestDatabaseId };
