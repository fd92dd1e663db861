import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * Real PostgreSQL, from the variable the repository's test script sets.
 * Nothing skips: a missing service fails the suite. (Redis, key prefixes and
 * polling come from `@portico/plugin-api-marketplace-node/testUtils`.)
 */
export function createPostgresDatabases(): TestDatabases {
  if (!process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
    throw new Error(
      'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set; gateway tests need PostgreSQL',
    );
  }
  return TestDatabases.create({ ids: ['POSTGRES_15'] });
}
