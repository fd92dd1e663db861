import { Redis } from 'ioredis';
import { usageKey } from '../keyspace';
import { createGatewayRedis, waitForRedis } from '../redis';
import { deleteTestKeys, testPrefix } from '../testUtils/fixtures';
import { testRedisUrl } from '../testUtils/testRedis';
import { FailoverRateLimiter } from './FailoverRateLimiter';
import { InMemoryRateLimiter } from './InMemoryRateLimiter';
import { RedisRateLimiter, RedisRateLimiterOptions } from './RedisRateLimiter';
import type { LimitDecision, LimitRequest } from './types';

afterAll(deleteTestKeys);

/** Minute-aligned, near the real clock (Redis expires keys by its own). */
const T0 = Math.floor(Date.now() / 60_000) * 60_000;
const RATE = 2000;

const busyKey: LimitRequest = {
  partnerId: 'partner-a',
  keyId: 'busy',
  productId: 'tracking',
  environment: 'production',
  ratePerSecond: RATE,
};

describe('RedisRateLimiter leases for busy keys', () => {
  const redis = new Redis(testRedisUrl());
  const clients: Redis[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(client => client.quit()));
  });
  afterAll(async () => {
    await redis.quit();
  });

  /** Replicas sharing one Redis, each counting its limiter script runs. */
  async function replicas(count: number, options: RedisRateLimiterOptions) {
    const prefix = testPrefix();
    const created = [];
    for (let i = 0; i < count; i++) {
      const client = createGatewayRedis(testRedisUrl());
      await waitForRedis(client);
      clients.push(client);
      const sent = jest.spyOn(client, 'sendCommand');
      created.push({
        limiter: new RedisRateLimiter(client, { prefix, ...options }),
        scriptRuns: () =>
          sent.mock.calls.filter(([command]) => command.name === 'evalsha')
            .length,
      });
    }
    return { prefix, replicas: created };
  }

  /**
   * Simulated time: every millisecond from T0 for `ms`, each replica makes
   * `callsAt(t)` calls of the key (all sent at once, then awaited).
   */
  async function drive(
    limiters: RedisRateLimiter[],
    ms: number,
    callsAt: (t: number) => number,
    request: Partial<LimitRequest> = {},
  ) {
    const decisions: LimitDecision[] = [];
    for (let t = 0; t < ms; t++) {
      const calls = limiters.flatMap(limiter =>
        Array.from({ length: callsAt(t) }, () =>
          limiter.check({ ...busyKey, ...request, now: T0 + t }),
        ),
      );
      decisions.push(...(await Promise.all(calls)));
    }
    return decisions;
  }

  it('admits a busy key below its rate with a few round trips, and refuses none', async () => {
    const { replicas: two } = await replicas(2, {});
    // Each replica 800 calls/s (4 every 5 ms): 1,600/s of 2,000/s.
    const decisions = await drive(
      two.map(r => r.limiter),
      3_000,
      t => (t % 5 === 0 ? 4 : 0),
    );
    expect(decisions).toHaveLength(4_800);
    expect(decisions.filter(d => !d.allowed)).toHaveLength(0);
    const runs = two.map(r => r.scriptRuns());
    // Without leases every call batch is a round trip (1,200 here).
    expect(runs[0] + runs[1]).toBeLessThan(300);
    for (const decision of decisions) {
      expect(decision.limit).toBe(RATE);
      expect(decision.remaining).toBeGreaterThanOrEqual(0);
      expect(decision.remaining).toBeLessThanOrEqual(RATE);
    }
  });

  it('over its rate, admits burst + rate × time (±5%) across two replicas, and counts only real refusals', async () => {
    const { prefix, replicas: two } = await replicas(2, {});
    // Each replica 2,000 calls/s: twice the rate together, for 3 s.
    const decisions = await drive(
      two.map(r => r.limiter),
      3_000,
      () => 2,
    );
    const admitted = decisions.filter(d => d.allowed).length;
    const expected = RATE + RATE * 3;
    expect(admitted).toBeGreaterThanOrEqual(expected * 0.95);
    // Never more than GCRA: leased admissions were admitted in Redis first.
    expect(admitted).toBeLessThanOrEqual(expected + 2 * (RATE / 20));
    const refused = decisions.filter(d => !d.allowed);
    expect(refused.every(d => d.reason === 'rate_limited')).toBe(true);
    // Leases asked for and not granted are not refusals: only calls count.
    const bucket = usageKey(prefix, 'partner-a', 'tracking', 'production', T0);
    expect(Number(await redis.hget(bucket, 'rate_limited'))).toBe(
      refused.length,
    );
  });

  it('hands a lease out for at most its lifetime', async () => {
    const { replicas: one } = await replicas(1, { lease: { ms: 50 } });
    const [{ limiter, scriptRuns }] = one;
    await drive([limiter], 20, () => 5);
    const afterBusySpell = scriptRuns();
    // Within the lease: no round trip. Past it: Redis is asked again.
    await limiter.check({ ...busyKey, now: T0 + 25 });
    expect(scriptRuns()).toBe(afterBusySpell);
    await limiter.check({ ...busyKey, now: T0 + 500 });
    expect(scriptRuns()).toBe(afterBusySpell + 1);
  });

  it('decides a call from a held lease at once, also through the failover limiter', async () => {
    const { replicas: one } = await replicas(1, {});
    const [{ limiter, scriptRuns }] = one;
    const failover = new FailoverRateLimiter(
      limiter,
      new InMemoryRateLimiter(),
    );
    expect(failover.checkCached({ ...busyKey, now: T0 })).toBeUndefined();
    await drive([limiter], 5, () => 5);
    const runs = scriptRuns();
    const decision = failover.checkCached({ ...busyKey, now: T0 + 6 });
    expect(decision).toMatchObject({ allowed: true, limit: RATE, at: T0 + 6 });
    expect(scriptRuns()).toBe(runs);
    // A plan that never leases always goes to Redis.
    expect(
      failover.checkCached({ ...busyKey, ratePerSecond: 10, now: T0 + 6 }),
    ).toBeUndefined();
  });

  it('never leases for a plan with a monthly quota, a slow plan, or when turned off', async () => {
    const cases: Array<[RedisRateLimiterOptions, Partial<LimitRequest>]> = [
      [{}, { hardMonthlyQuota: 1_000_000 }],
      [{}, { ratePerSecond: 999 }],
      [{ lease: { ms: 0 } }, {}],
    ];
    for (const [options, request] of cases) {
      const { replicas: one } = await replicas(1, options);
      const [{ limiter, scriptRuns }] = one;
      await drive([limiter], 50, () => 2, request);
      // One script run per millisecond's calls: nothing was served locally.
      expect(scriptRuns()).toBe(50);
    }
  });
});
