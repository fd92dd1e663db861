import { testRedisUrl } from '../testUtils/testRedis';
import { createGatewayRedis, waitForRedis } from '../redis';
import { deleteTestKeys, eventually, testPrefix } from '../testUtils/fixtures';
import { TcpProxy } from '../testUtils/tcpProxy';
import { FailoverRateLimiter } from './FailoverRateLimiter';
import { InMemoryRateLimiter } from './InMemoryRateLimiter';
import { RedisRateLimiter } from './RedisRateLimiter';

// Leave nothing behind in the shared Redis.
afterAll(deleteTestKeys);

describe('FailoverRateLimiter', () => {
  it('falls back to single-instance limits while Redis is unreachable, and back', async () => {
    const proxy = await TcpProxy.start(testRedisUrl());
    const client = createGatewayRedis(proxy.url, { commandTimeoutMs: 300 });
    await waitForRedis(client);
    const warnings: string[] = [];
    const infos: string[] = [];
    const limiter = new FailoverRateLimiter(
      new RedisRateLimiter(client, { prefix: testPrefix() }),
      new InMemoryRateLimiter(),
      {
        retryPrimaryAfterMs: 0,
        logger: { warn: m => warnings.push(m), info: m => infos.push(m) },
      },
    );
    const request = {
      partnerId: 'p',
      keyId: 'k',
      productId: 'tracking',
      environment: 'production' as const,
      ratePerSecond: 5,
      hardMonthlyQuota: 1000,
    };
    try {
      await expect(limiter.check(request)).resolves.toMatchObject({
        allowed: true,
        quotaCounted: true,
      });

      await proxy.down();
      const degraded = await Promise.all(
        Array.from({ length: 8 }, () => limiter.check(request)),
      );
      expect(limiter.isDegraded).toBe(true);
      // Local limits apply (burst 5), and the meter must count these calls.
      expect(degraded.filter(d => d.allowed)).toHaveLength(5);
      expect(degraded.every(d => !d.quotaCounted)).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('single-instance');

      await proxy.up();
      await eventually(
        async () =>
          (
            await limiter.check({ ...request, keyId: 'k2' })
          ).quotaCounted,
      );
      expect(limiter.isDegraded).toBe(false);
      expect(infos).toHaveLength(1);
    } finally {
      client.disconnect();
      await proxy.down();
    }
  });
});
