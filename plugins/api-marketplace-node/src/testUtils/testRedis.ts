/**
 * The Redis that tests run against. There is no skip: a missing Redis fails
 * the suite, in CI and locally alike; under `CI=true` the variable the
 * repository's test script sets must be there.
 */
export function testRedisUrl(): string {
  const url = process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'CI=true but BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING is not set; these tests need Redis',
    );
  }
  return url ?? 'redis://127.0.0.1:6379';
}
