import { randomUUID } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Redis } from 'ioredis';

/**
 * Real Redis and PostgreSQL, from the variables the repository's test
 * script sets. Nothing skips: a missing service fails the suite.
 */
export function testRedisUrl(): string {
  const url = process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'CI=true but BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING is not set; gateway tests need Redis',
    );
  }
  return url ?? 'redis://127.0.0.1:6379';
}

export function createPostgresDatabases(): TestDatabases {
  if (!process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
    throw new Error(
      'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set; gateway tests need PostgreSQL',
    );
  }
  return TestDatabases.create({ ids: ['POSTGRES_15'] });
}

const prefixes: string[] = [];

/** A Redis key prefix of its own, deleted by `deleteTestKeys`. */
export function testPrefix(): string {
  const prefix = `portico-gw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

export async function deleteTestKeys(): Promise<void> {
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of prefixes.splice(0)) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${prefix}*`,
          'COUNT',
          1000,
        );
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` holds; fails after `timeoutMs`. No fixed sleeps. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
