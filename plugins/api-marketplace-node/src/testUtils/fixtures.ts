import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { testRedisUrl } from './testRedis';
import { KeyEnvironment, generateApiKey } from '../keys';
import type { VerifiableKey } from '../verify';

/** A fresh key and the record the control plane would store for it. */
export function makeKey(
  overrides: Partial<VerifiableKey> = {},
  environment: KeyEnvironment = 'production',
): { key: string; record: VerifiableKey } {
  const generated = generateApiKey(environment);
  return {
    key: generated.key,
    record: {
      id: generated.keyId,
      partnerId: 'partner-a',
      partnerStatus: 'active',
      keyHash: generated.hash,
      environment,
      status: 'active',
      productIds: ['tracking'],
      allowedIps: [],
      plans: { tracking: { plan: 'starter', ratePerSecond: 1000 } },
      ...overrides,
    },
  };
}

const ALPHABET =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Another well-formed key with the same id and a valid checksum but a
 * different secret: what an attacker who knows a key id could try. Mirrors
 * the codec's checksum on purpose (it is not exported).
 */
export function forgeKeyWithSameId(key: string): string {
  const secret = Array.from(
    { length: 43 },
    (_, i) => ALPHABET[(i * 7 + 3) % 62],
  ).join('');
  const payload = key.slice(0, 8 + 16) + secret;
  const digest = createHash('sha256').update(payload).digest();
  let value = digest.readUInt32BE(0) * 256 + digest[4];
  let checksum = '';
  for (let i = 0; i < 6; i++) {
    checksum = ALPHABET[value % 62] + checksum;
    value = Math.floor(value / 62);
  }
  return payload + checksum;
}

const usedPrefixes: string[] = [];

/** A key prefix no other test (or concurrent run) uses. */
export function testPrefix(): string {
  const prefix = `portico-test:${randomUUID()}:`;
  usedPrefixes.push(prefix);
  return prefix;
}

/** Deletes the keys of this test file's prefixes from the shared Redis. */
export async function deleteTestKeys(): Promise<void> {
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of usedPrefixes.splice(0)) {
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

/** Polls until `check` returns true; fails after `timeoutMs`. No fixed sleeps. */
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
