import { Redis } from 'ioredis';
import { Client, Pool } from 'undici';
import { monthOf, quotaKey, usageKey } from '../keyspace';
import { RedisRateLimiter } from '../limit/RedisRateLimiter';
import { RedisUsageStore } from '../meter/RedisUsageStore';
import { testRedisUrl } from '../testUtils/testRedis';
import { UsageMeter } from '../meter/UsageMeter';
import { createGatewayRedis, waitForRedis } from '../redis';
import { deleteTestKeys, makeKey, testPrefix } from '../testUtils/fixtures';
import { InMemoryKeyLookup } from '../verify/InMemoryKeyLookup';
import { KeyVerifier } from '../verify/KeyVerifier';
import { createGatewayHandler } from './createGatewayHandler';
import { echoUpstream, listen } from '../testUtils/testServers';

// Leave nothing behind in the shared Redis.
afterAll(deleteTestKeys);

describe('gateway on Redis', () => {
  it('holds a free plan to its quota, and a 5xx gives the call back', async () => {
    const prefix = testPrefix();
    const client = createGatewayRedis(testRedisUrl());
    await waitForRedis(client);
    const redis = new Redis(testRedisUrl());
    const echo = await echoUpstream();
    const { key, record } = makeKey({
      plans: {
        tracking: { plan: 'free', ratePerSecond: 100, hardMonthlyQuota: 3 },
      },
    });
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
      autoFlush: false,
    });
    const handler = createGatewayHandler({
      verifier: new KeyVerifier({ lookup: new InMemoryKeyLookup([record]) }),
      limiter: new RedisRateLimiter(client, { prefix }),
      meter,
      products: { resolve: () => ({ baseUrl: echo.url }) },
      signingSecret: 's',
    });
    const gateway = await listen(handler);
    const http = new Client(gateway.url);
    const call = async (path: string) => {
      const response = await http.request({
        path,
        method: 'GET',
        headers: { 'x-api-key': key },
      });
      await response.body.text();
      return response.statusCode;
    };
    try {
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      expect(await call('/tracking/status/200')).toBe(200);
      expect(await call('/tracking/status/503')).toBe(503);
      expect(await call('/tracking/status/404')).toBe(404);
      expect(await call('/tracking/status/200')).toBe(429); // 3 admitted

      await meter.flush(); // the 503 is refunded
      const quota = quotaKey(
        prefix,
        'partner-a',
        'tracking',
        'production',
        monthOf(minute).id,
      );
      expect(await redis.get(quota)).toBe('2');
      expect(await call('/tracking/status/200')).toBe(200);
      expect(await call('/tracking/status/200')).toBe(429);
      await meter.flush();

      const buckets = await Promise.all(
        [minute, minute + 60_000].map(m =>
          redis.hgetall(
            usageKey(prefix, 'partner-a', 'tracking', 'production', m),
          ),
        ),
      );
      const sum = (field: string) =>
        buckets.reduce((n, b) => n + Number(b[field] ?? 0), 0);
      expect(sum('billable')).toBe(3);
      expect(sum('quota_exceeded')).toBe(2);
      expect(sum('5xx')).toBe(1);
      expect(sum('2xx') + sum('4xx')).toBe(3);
    } finally {
      await meter.close();
      await http.close();
      await handler.close();
      await gateway.close();
      await echo.close();
      await client.quit();
      await redis.quit();
    }
  });

  it('passes exactly the monthly quota through two replicas under concurrency, then 429 with the limit headers', async () => {
    const prefix = testPrefix();
    const echo = await echoUpstream();
    const quota = 137;
    const { key, record } = makeKey({
      plans: {
        tracking: {
          plan: 'free',
          ratePerSecond: 100_000,
          hardMonthlyQuota: quota,
        },
      },
    });
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const client = createGatewayRedis(testRedisUrl());
        await waitForRedis(client);
        const handler = createGatewayHandler({
          verifier: new KeyVerifier({
            lookup: new InMemoryKeyLookup([record]),
          }),
          limiter: new RedisRateLimiter(client, { prefix }),
          products: { resolve: () => ({ baseUrl: echo.url }) },
          signingSecret: 's',
        });
        const server = await listen(handler);
        const http = new Pool(server.url, { connections: 25 });
        return { client, handler, server, http };
      }),
    );
    try {
      type Answer = {
        status: number;
        headers: Record<string, unknown>;
        code?: string;
      };
      // 50 partners' connections, alternating replicas, each calling until
      // it is refused.
      const answers: Answer[][] = await Promise.all(
        Array.from({ length: 50 }, async (_, caller) => {
          const { http } = replicas[caller % 2];
          const own: Answer[] = [];
          for (;;) {
            const response = await http.request({
              path: '/tracking/x',
              method: 'GET',
              headers: { 'x-api-key': key },
            });
            const body = await response.body.text();
            own.push({
              status: response.statusCode,
              headers: response.headers,
              code:
                response.statusCode === 200 ? undefined : JSON.parse(body).code,
            });
            if (response.statusCode !== 200) return own;
          }
        }),
      );
      const all = answers.flat();
      expect(all.filter(a => a.status === 200)).toHaveLength(quota);
      expect(all.filter(a => a.status === 429)).toHaveLength(50);
      for (const refused of all.filter(a => a.status === 429)) {
        expect(refused.code).toBe('quota_exceeded');
        expect(refused.headers).toMatchObject({
          'ratelimit-limit': String(quota),
          'ratelimit-remaining': '0',
        });
        expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThan(0);
        expect(refused.headers['retry-after']).toBe(
          refused.headers['ratelimit-reset'],
        );
      }
      expect(echo.seen).toHaveLength(quota);
    } finally {
      for (const { client, handler, server, http } of replicas) {
        await http.close();
        await handler.close();
        await server.close();
        await client.quit();
      }
      await echo.close();
    }
  });
});
