import { Redis } from 'ioredis';
import { InMemoryUsageStore } from '../meter/InMemoryUsageStore';
import { testRedisUrl } from '../testUtils/testRedis';
import { createGatewayRedis, waitForRedis } from '../redis';
import { monthOf, quotaKey, rateKey, usageKey } from '../keyspace';
import { deleteTestKeys, testPrefix } from '../testUtils/fixtures';
import { InMemoryRateLimiter } from './InMemoryRateLimiter';
import { RedisRateLimiter } from './RedisRateLimiter';
import type { LimitDecision, LimitRequest, RateLimiter } from './types';

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
      quotaCounted: false,
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

  it('counts denials in the minute bucket and admissions in the quota counter, with TTLs', async () => {
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
    expect(decisions.every(d => d.quotaCounted === d.allowed)).toBe(true);

    const bucket = usageKey(prefix, 'partner-a', 'tracking', 'production', T0);
    // Billable calls are the meter's to count, when they are over.
    expect(await redis.hgetall(bucket)).toEqual({ rate_limited: '3' });
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

describe('RedisRateLimiter under concurrency, on the real clock, across two instances', () => {
  const clients: Array<ReturnType<typeof createGatewayRedis>> = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(client => client.quit()));
  });

  async function replicas(prefix: string): Promise<RedisRateLimiter[]> {
    const created = [
      createGatewayRedis(testRedisUrl()),
      createGatewayRedis(testRedisUrl()),
    ];
    clients.push(...created);
    await Promise.all(created.map(client => waitForRedis(client)));
    return created.map(client => new RedisRateLimiter(client, { prefix }));
  }

  /** `callers` concurrent loops, alternating replicas, until `stop()`. */
  async function hammer(
    limiters: RateLimiter[],
    callers: number,
    request: LimitRequest,
    stop: (decision: LimitDecision) => boolean,
  ) {
    const decisions: LimitDecision[][] = Array.from(
      { length: callers },
      () => [],
    );
    await Promise.all(
      decisions.map(async (own, caller) => {
        const limiter = limiters[caller % limiters.length];
        for (;;) {
          const decision = await limiter.check(request);
          own.push(decision);
          if (stop(decision)) return;
        }
      }),
    );
    return decisions;
  }

  it('admits burst + rate × window (±5%) to 200 callers at 20/s for 3 s', async () => {
    const limiters = await replicas(testPrefix());
    const request = { ...base, keyId: 'hot', ratePerSecond: 20 };
    const started = Date.now();
    const deadline = started + 3_000;
    const decisions = await hammer(
      limiters,
      200,
      request,
      () => Date.now() >= deadline,
    );
    const all = decisions.flat();
    const allowed = all.filter(d => d.allowed);
    // Admissions are decided on the calls' own clock values: the window is
    // from the first call to the last one made before the deadline.
    const window = all.reduce((last, d) => Math.max(last, d.at), 0) - started;
    const expected = 20 + (20 * window) / 1000;
    expect(window).toBeGreaterThan(2_900);
    expect(Math.abs(allowed.length - expected)).toBeLessThanOrEqual(
      expected * 0.05,
    );
    // Both replicas admitted calls: the limit is shared, not per replica.
    const byReplica = [0, 1].map(
      r =>
        decisions
          .filter((_, c) => c % 2 === r)
          .flat()
          .filter(d => d.allowed).length,
    );
    expect(byReplica[0]).toBeGreaterThan(0);
    expect(byReplica[1]).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(allowed.length * 5); // really hammered
  });

  it('passes exactly the monthly quota to 200 callers on two replicas, then refuses every call', async () => {
    const prefix = testPrefix();
    const limiters = await replicas(prefix);
    const request = {
      ...base,
      keyId: 'free',
      ratePerSecond: 100_000,
      hardMonthlyQuota: 487, // not a multiple of the callers per replica
    };
    const decisions = await hammer(limiters, 200, request, d => !d.allowed);
    const all = decisions.flat();
    expect(all.filter(d => d.allowed)).toHaveLength(487);
    // Every caller stopped at its first refusal, and that was the quota.
    for (const own of decisions) {
      expect(own[own.length - 1]).toMatchObject({
        allowed: false,
        reason: 'quota_exceeded',
        limit: 487,
        remaining: 0,
      });
    }
    // The next call, on either replica, is refused too.
    for (const limiter of limiters) {
      expect(await limiter.check(request)).toMatchObject({
        allowed: false,
        reason: 'quota_exceeded',
      });
    }
    const redis = new Redis(testRedisUrl());
    const month = monthOf(Date.now()).id;
    expect(
      await redis.get(
        quotaKey(prefix, 'partner-a', 'tracking', 'production', month),
      ),
    ).toBe('487');
    await redis.quit();
  });
});

describe('RedisRateLimiter micro-batching', () => {
  const clients: Array<ReturnType<typeof createGatewayRedis>> = [];
  const redis = new Redis(testRedisUrl());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(client => client.quit()));
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function limiter(
    prefix: string,
    options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {
    const client = createGatewayRedis(testRedisUrl());
    clients.push(client);
    await waitForRedis(client);
    return {
      client,
      limiter: new RedisRateLimiter(client, { prefix, ...options }),
    };
  }

  it('decides the calls of one batch one by one, in call order', async () => {
    const { client, limiter: batched } = await limiter(testPrefix());
    const send = jest.spyOn(client, 'sendCommand');
    const calls = Array.from({ length: 30 }, (_, i) =>
      batched.check({
        ...base,
        keyId: i % 3 === 2 ? 'other' : 'key1',
        ratePerSecond: 5,
        now: T0,
      }),
    );
    const decisions = await Promise.all(calls);
    expect(send).toHaveBeenCalledTimes(1); // one EVALSHA for all 30
    const key1 = decisions.filter((_, i) => i % 3 !== 2);
    const other = decisions.filter((_, i) => i % 3 === 2);
    // Per key, the first 5 calls made are the ones admitted, with
    // remaining counting down in that order.
    expect(key1.map(d => d.allowed)).toEqual([
      ...Array(5).fill(true),
      ...Array(15).fill(false),
    ]);
    expect(key1.slice(0, 5).map(d => d.remaining)).toEqual([4, 3, 2, 1, 0]);
    expect(other.map(d => d.allowed)).toEqual([
      ...Array(5).fill(true),
      ...Array(5).fill(false),
    ]);
  });

  it('counts each call of a batch in the minute of its own clock, across a minute boundary', async () => {
    const prefix = testPrefix();
    const { client, limiter: batched } = await limiter(prefix);
    const send = jest.spyOn(client, 'sendCommand');
    const request = { ...base, ratePerSecond: 1, burst: 1 };
    const decisions = await Promise.all([
      batched.check({ ...request, now: T0 + 59_998 }),
      batched.check({ ...request, now: T0 + 59_999 }),
      batched.check({ ...request, now: T0 + 60_000 }),
    ]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(decisions.map(d => d.allowed)).toEqual([true, false, false]);
    const bucket = (minute: number) =>
      usageKey(prefix, 'partner-a', 'tracking', 'production', minute);
    expect(await redis.hgetall(bucket(T0))).toEqual({ rate_limited: '1' });
    expect(await redis.hgetall(bucket(T0 + 60_000))).toEqual({
      rate_limited: '1',
    });
  });

  it('sends the calls that arrive during a round trip together in the next one, in order', async () => {
    const { client, limiter: batched } = await limiter(testPrefix());
    const send = jest.spyOn(client, 'sendCommand');
    const request = { ...base, ratePerSecond: 10, now: T0 };
    const first = Array.from({ length: 4 }, () => batched.check(request));
    // Two more event-loop turns while the first batch is out.
    await new Promise(resolve => setImmediate(resolve));
    const second = Array.from({ length: 4 }, () => batched.check(request));
    await new Promise(resolve => setImmediate(resolve));
    const third = Array.from({ length: 4 }, () => batched.check(request));
    const decisions = await Promise.all([...first, ...second, ...third]);
    expect(send.mock.calls.length).toBeLessThan(3);
    expect(decisions.map(d => d.remaining)).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0,
    ]);
    expect(decisions.map(d => d.allowed)).toEqual([
      ...Array(10).fill(true),
      false,
      false,
    ]);
  });

  it('gives the same decisions and leaves the same state as one call per script run', async () => {
    // A reproducible mix of keys, products, quotas and clock steps.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const requests: LimitRequest[] = [];
    let now = T0 + 1_000;
    let k = 0;
    for (let i = 0; i < 400; i++) {
      // Often the same key at the same millisecond, as a busy key's calls
      // arrive: the script gets those as one group.
      if (random() < 0.5) {
        now += Math.floor(random() * 40);
        k = Math.floor(random() * 3);
      }
      requests.push({
        ...base,
        keyId: `key${k}`,
        productId: random() < 0.7 ? 'tracking' : 'routing',
        // Bursts of 30 s: no rate key expires in Redis while the test runs.
        ratePerSecond: [2, 5, 1][k],
        burst: [60, 150, 30][k],
        hardMonthlyQuota: k === 1 ? 60 : undefined,
        now,
      });
    }
    const batchedPrefix = testPrefix();
    const singlePrefix = testPrefix();
    const { client, limiter: batched } = await limiter(batchedPrefix, {
      maxBatch: 50,
    });
    const { limiter: single } = await limiter(singlePrefix, { maxBatch: 1 });
    const send = jest.spyOn(client, 'sendCommand');

    // All at once (8 batches of 50) versus strictly one after the other.
    const together = await Promise.all(requests.map(r => batched.check(r)));
    // EVALSHA sha numkeys ...keys bucketTtl groups ...: fewer groups than calls.
    const groups = send.mock.calls
      .map(([command]) => (command as unknown as { args: unknown[] }).args)
      .filter(args => args.length > 2)
      .reduce((n, args) => n + Number(args[2 + Number(args[1]) + 1]), 0);
    expect(groups).toBeGreaterThan(100);
    expect(groups).toBeLessThan(300);
    const oneByOne = [];
    for (const request of requests) oneByOne.push(await single.check(request));
    expect(together).toEqual(oneByOne);
    expect(together.filter(d => d.allowed).length).toBeGreaterThan(50);
    expect(together.some(d => d.reason === 'rate_limited')).toBe(true);
    expect(together.some(d => d.reason === 'quota_exceeded')).toBe(true);

    // Same values in Redis: TATs, quota counters, usage buckets.
    const snapshot = async (prefix: string) => {
      const keys = (await redis.keys(`${prefix}*`)).sort();
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const name = key.slice(prefix.length);
        out[name] =
          (await redis.type(key)) === 'hash'
            ? await redis.hgetall(key)
            : await redis.get(key);
        out[`${name} expires`] = (await redis.pttl(key)) > 0;
      }
      return out;
    };
    expect(await snapshot(batchedPrefix)).toEqual(await snapshot(singlePrefix));
  });
});
