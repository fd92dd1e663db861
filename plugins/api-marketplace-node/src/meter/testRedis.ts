/**
 * The Redis that store tests run against. There is no skip: a missing Redis
 * fails the suite, in CI and locally alike.
 */
export function testRedisUrl(): string {
  return (
    process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??
    'redis://127.0.0.1:6379'
  );
}
