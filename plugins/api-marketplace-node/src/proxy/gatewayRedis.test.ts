import { Redis } from 'ioredis';
import { Client } from 'undici';
import { monthOf, quotaKey, usageKey } from '../keyspace';
import { RedisRateLimiter } from '../limit/RedisRateLimiter';
import { RedisUsageStore } from '../meter/RedisUsageStore';
import { testRedisUrl } from '../meter/testRedis';
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
});
