import { Redis } from 'ioredis';
import { InMemoryUsageStore } from '../meter/InMemoryUsageStore';
import { testRedisUrl } from '../meter/testRedis';
import { createGatewayRedis, waitForRedis } from '../redis';
import { monthOf, quotaKey, rateKey, usageKey } from '../keyspace';
import { deleteTestKeys, testPrefix } from '../testUtils/fixtures';
import { InMemoryRateLimiter } from './InMemoryRateLimiter';
import { RedisRateLimiter } from './RedisRateLimiter';
import type { LimitRequest, RateLimiter } from './types';

// Leave nothing behind in the shared Redis.
afterAll(deleteTestKeys);

/**
 * Minute-aligned and near the real clock: Redis expires keys by its own
 * clock, so a fixed past date would let quota counters expire on the spot.
 */
const T0 = Math.floor(Date.now() / 60_000) * 60_000;

/** Returns limiters that share state, like replicas sharing Redis. */
type Factory = (count: number) => Promise<{
  limiters: RateLimiter[];
  close(): Promise<void>;
}>;

const redisFactory =
  (maxBatch?: number): Factory =>
  async count => {
    const prefix = testPrefix();
    const clients = Array.from({ length: count }, () =>
      createGatewayRedis(testRedisUrl()),
    );
    await Promise.all(clients.map(client => waitForRedis(client)));
    return {
      limiters: clients.map(
        client => new RedisRateLimiter(client, { prefix, maxBatch }),
      ),
      close: async () => {
        await Promise.all(clients.map(client => client.quit()));
      },
    };
  };

const memoryFactory: Factory = async count => {
  const usage = new InMemoryUsageStore();
  const limiter = new InMemoryRateLimiter({ usage });
  // One process has one limiter; "replicas" share it.
  return {
    limiters: Array.from({ length: count }, () => limiter),
    close: async () => {},
  };
};

const base: LimitRequest = {
  partnerId: 'partner-a',
  keyId: 'key1',
  productId: 'tracking',
  environment: 'production',
  ratePerSecond: 10,
};

describe.each([
  ['redis (batched)', redisFactory()],
  ['redis (one call per script run)', redisFactory(1)],
  ['in-memory', memoryFactory],
])('%s rate limiter', (_name, factory) => {
  let close: () => Promise<void>;
  afterEach(async () => {
    await close?.();
  });

  async function limiters(count = 1) {
    const created = await factory(count);
    close = created.close;
    return created.limiters;
  }

  async function fire(
    limiter: RateLimiter,
    count: number,
    request: Partial<LimitRequest>,
  ) {
    const decisions = await Promise.all(
      Array.from({ length: count }, () =>
        limiter.check({ ...base, ...request }),
      ),
    );
    return {
      decisions,
      allowed: decisions.filter(d => d.allowed).length,
    };
  }

  it('allows the burst at once, then one call per interval', async () => {
    const [limiter] = await limiters();
    expect((await fire(limiter, 50, { now: T0 })).allowed).toBe(10);
    expect((await fire(limiter, 50, { now: T0 + 100 })).allowed).toBe(1);
    expect((await fire(limiter, 50, { now: T0 + 1000 })).allowed).toBe(9);
  });

  it('allows burst + rate × window over a window, across two instances', async () => {
    const [a, b] = await limiters(2);
    let allowed = 0;
    // 10 s of a client hammering at 40 calls per 50 ms through two replicas.
    for (let t = 0; t <= 10_000; t += 50) {
      const results = await Promise.all([
        fire(a, 20, { now: T0 + t }),
        fire(b, 20, { now: T0 + t }),
      ]);
      allowed += results[0].allowed + results[1].allowed;
    }
    expect(allowed).toBe(10 + 10 * 10);
  });

  it('honours a custom burst and fractional rates', async () => {
    const [limiter] = await limiters();
    expect((await fire(limiter, 20, { now: T0, burst: 3 })).allowed).toBe(3);
    const slow = { keyId: 'key2', ratePerSecond: 0.5, burst: 1 };
    expect((await fire(limiter, 5, { ...slow, now: T0 })).allowed).toBe(1);
    expect((await fire(limiter, 5, { ...slow, now: T0 + 1999 })).allowed).toBe(
      0,
    );
    expect((await fire(limiter, 5, { ...slow, now: T0 + 2000 })).allowed).toBe(
      1,
    );
  });

  it('reports limit, remaining, reset and retry-after', async () => {
    const [limiter] = await limiters();
    const first = await limiter.check({ ...base, now: T0 });
    expect(first).toMatchObject({
      allowed: true,
      limit: 10,
      remaining: 9,
      resetSeconds: 1,
      at: T0,
      hasQuota: false,
    });
    expect(first.retryAfterSeconds).toBeUndefined();
    await fire(limiter, 9, { now: T0 });
    const denied = await limiter.check({ ...base, now: T0 });
    expect(denied).toMatchObject({
      allowed: false,
      reason: 'rate_limited',
      limit: 10,
      remaining: 0,
      resetSeconds: 1,
      retryAfterSeconds: 1,
      billableCounted: false,
    });
  });

  it('keeps keys and products apart', async () => {
    const [limiter] = await limiters();
    expect((await fire(limiter, 20, { now: T0 })).allowed).toBe(10);
    expect((await fire(limiter, 20, { now: T0, keyId: 'other' })).allowed).toBe(
      10,
    );
    expect(
      (await fire(limiter, 20, { now: T0, productId: 'routing' })).allowed,
    ).toBe(10);
  });

  it('stops a free plan at exactly its monthly quota under concurrency, across instances', async () => {
    const [a, b] = await limiters(2);
    const free = { ratePerSecond: 1000, hardMonthlyQuota: 100, now: T0 };
    const results = await Promise.all([fire(a, 150, free), fire(b, 150, free)]);
    const decisions = [...results[0].decisions, ...results[1].decisions];
    expect(decisions.filter(d => d.allowed)).toHaveLength(100);
    const denied = decisions.filter(d => !d.allowed);
    expect(denied).toHaveLength(200);
    expect(new Set(denied.map(d => d.reason))).toEqual(
      new Set(['quota_exceeded']),
    );
    const monthEnd = monthOf(T0).endMs;
    expect(denied[0]).toMatchObject({
      limit: 100,
      remaining: 0,
      resetSeconds: Math.ceil((monthEnd - T0) / 1000),
      retryAfterSeconds: Math.ceil((monthEnd - T0) / 1000),
    });
    // The quota is per environment and per month.
    expect(
      (await fire(a, 5, { ...free, environment: 'sandbox' })).allowed,
    ).toBe(5);
    expect((await fire(a, 5, { ...free, now: monthEnd })).allowed).toBe(5);
  });

  it('reports the quota in the headers when it is closer to exhaustion than the rate', async () => {
    const [limiter] = await limiters();
    const decision = await limiter.check({
      ...base,
      ratePerSecond: 10,
      hardMonthlyQuota: 3,
      now: T0,
    });
    expect(decision).toMatchObject({
      allowed: true,
      limit: 3,
      remaining: 2,
      hasQuota: true,
    });
  });

  it('admits nothing for a plan without a positive rate', async () => {
    const [limiter] = await limiters();
    expect(
      (await fire(limiter, 3, { ratePerSecond: 0, now: T0 })).allowed,
    ).toBe(0);
  });
});

describe('RedisRateLimiter storage', () => {
  const prefix = testPrefix();
  const redis = new Redis(testRedisUrl());
  afterAll(async () => {
    await redis.quit();
  });

  it('counts admissions and denials in the minute bucket and the quota counter, with TTLs', async () => {
    const client = createGatewayRedis(testRedisUrl());
    await waitForRedis(client);
    const limiter = new RedisRateLimiter(client, { prefix });
    const request = {
      ...base,
      ratePerSecond: 2,
      hardMonthlyQuota: 1000,
      now: T0 + 30_000,
    };
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => limiter.check(request)),
    );
    expect(decisions.filter(d => d.allowed)).toHaveLength(2);
    expect(decisions.every(d => d.billableCounted === d.allowed)).toBe(true);

    const bucket = usageKey(prefix, 'partner-a', 'tracking', 'production', T0);
    expect(await redis.hgetall(bucket)).toEqual({
      billable: '2',
      rate_limited: '3',
    });
    expect(await redis.ttl(bucket)).toBeGreaterThan(6 * 24 * 3600);
    const quota = quotaKey(
      prefix,
      'partner-a',
      'tracking',
      'production',
      monthOf(T0).id,
    );
    expect(await redis.get(quota)).toBe('2');
    expect(await redis.pexpiretime(quota)).toBe(
      monthOf(T0).endMs + 7 * 24 * 3600_000,
    );
    expect(
      await redis.pttl(rateKey(prefix, 'partner-a', 'key1', 'tracking')),
    ).toBeGreaterThan(0);
    await client.quit();
  });
});
