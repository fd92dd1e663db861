import {
  RedisRevocationBus,
  RedisUsageStore,
  UsageBucket,
  verifyGatewaySignature,
} from '@portico/plugin-api-marketplace-node';
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { request } from 'undici';
import {
  deleteTestKeys,
  eventually,
  testPrefix,
  testRedisUrl,
} from '@portico/plugin-api-marketplace-node/testUtils';
import { createPostgresDatabases } from './__testUtils__/env';
import {
  TEST_SECRET,
  TEST_TOKEN,
  recordingLogger,
  startTestGateway,
  testSettings,
} from './__testUtils__/gateways';
import { migrateMarketplaceDatabase, seedPartner } from './__testUtils__/seed';
import { fakeBackend, recordingUpstream } from './__testUtils__/servers';

jest.setTimeout(60_000);

const databases = createPostgresDatabases();
let knex: Knex;
let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
let backend: Awaited<ReturnType<typeof fakeBackend>>;
let redis: Redis;

beforeAll(async () => {
  knex = await databases.init('POSTGRES_15');
  await migrateMarketplaceDatabase(knex);
  upstream = await recordingUpstream();
  backend = await fakeBackend({
    token: TEST_TOKEN,
    products: [{ id: 'tracking', baseUrl: `${upstream.url}/v2` }],
  });
  redis = new Redis(testRedisUrl());
});

afterAll(async () => {
  await upstream.close();
  await backend.close();
  redis.disconnect();
  await deleteTestKeys();
});

async function call(url: string, key?: string) {
  const response = await request(url, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

async function usageOf(
  prefix: string,
  partnerId: string,
): Promise<{ billable: number; '2xx': number; '5xx': number }> {
  const store = new RedisUsageStore(redis, { prefix });
  const total = { billable: 0, '2xx': 0, '5xx': 0 };
  const buckets: UsageBucket[] = [];
  // Every bucket, the current minute included.
  for await (const bucket of store.readClosedBuckets(Date.now() + 120_000)) {
    if (bucket.partnerId === partnerId) buckets.push(bucket);
  }
  for (const bucket of buckets) {
    total.billable += bucket.billable;
    total['2xx'] += bucket.statusCounts['2xx'];
    total['5xx'] += bucket.statusCounts['5xx'];
  }
  return total;
}

describe('standalone gateway on Redis and PostgreSQL', () => {
  it('proxies a seeded key under both path prefixes, signed, without the key', async () => {
    const prefix = testPrefix();
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    const logger = recordingLogger();
    const { gateway, url } = await startTestGateway(
      knex,
      testSettings({ backendBaseUrl: backend.url, keyPrefix: prefix }),
      { logger },
    );
    try {
      expect((await call(`${url}/readyz`)).status).toBe(200);
      expect((await call(`${url}/healthz`)).status).toBe(200);

      upstream.seen.length = 0;
      const ok = await call(
        `${url}/gateway/tracking/shipments/42?units=metric`,
        partner.key,
      );
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('1000');
      const mounted = await call(
        `${url}/api/api-marketplace/gateway/tracking/shipments/43`,
        partner.key,
      );
      expect(mounted.status).toBe(200);

      expect(upstream.seen.map(s => s.url)).toEqual([
        '/v2/shipments/42?units=metric',
        '/v2/shipments/43',
      ]);
      const seen = upstream.seen[0];
      expect(seen.headers['x-portico-partner']).toBe(partner.partnerId);
      expect(seen.headers['x-portico-key-id']).toBe(partner.keyId);
      expect(seen.headers['x-portico-plan']).toBe('starter');
      expect(seen.headers.authorization).toBeUndefined();
      expect(JSON.stringify(seen.headers)).not.toContain(partner.key);
      expect(
        verifyGatewaySignature({
          secret: TEST_SECRET,
          headers: seen.headers,
          method: 'GET',
          path: seen.url,
        }).ok,
      ).toBe(true);

      const bad = await call(
        `${url}/gateway/tracking/shipments/42`,
        `${partner.key.slice(0, -1)}x`,
      );
      expect(bad.status).toBe(401);
      expect(JSON.parse(bad.text).code).toBe('invalid_key');
      expect((await call(`${url}/gateway/tracking/x`)).status).toBe(401);
      expect((await call(`${url}/elsewhere`)).status).toBe(404);
    } finally {
      await gateway.shutdown('test');
    }
    expect(logger.lines.join('\n')).toContain('Gateway stopped');
    expect(logger.lines.join('\n')).not.toContain(partner.key);
    expect(logger.lines.join('\n')).not.toContain(TEST_SECRET);
  });

  it('answers NGINX auth_request with signed partner headers or a problem code', async () => {
    const prefix = testPrefix();
    const partner = await seedPartner(knex, { plans: { tracking: 'free' } });
    const { gateway, url } = await startTestGateway(
      knex,
      testSettings({ backendBaseUrl: backend.url, keyPrefix: prefix }),
    );
    try {
      const ask = (headers: Record<string, string>) =>
        request(`${url}/auth-request`, { headers }).then(async r => ({
          status: r.statusCode,
          headers: r.headers,
          text: await r.body.text(),
        }));
      // The backend's auth-request contract: product and target in X-Original-URI.
      const allowed = await ask({
        'x-api-key': partner.key,
        'x-original-uri': '/gateway/tracking/labels?format=pdf',
        'x-original-method': 'POST',
      });
      expect(allowed.status).toBe(200);
      expect(allowed.headers['x-portico-partner']).toBe(partner.partnerId);
      expect(
        verifyGatewaySignature({
          secret: TEST_SECRET,
          headers: allowed.headers as Record<string, string>,
          method: 'POST',
          path: '/labels?format=pdf',
        }).ok,
      ).toBe(true);

      const missing = await ask({ 'x-portico-product': 'tracking' });
      expect(missing.status).toBe(401);
      expect(missing.headers['x-portico-problem']).toBe('missing_key');
      const unknown = await ask({
        'x-api-key': partner.key,
        'x-portico-product': 'nope',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.headers['x-portico-problem']).toBe('unknown_product');
      const sandboxOnly = await ask({
        'x-api-key': partner.key,
        'x-portico-product': 'tracking',
        'x-portico-environment': 'sandbox',
      });
      expect(sandboxOnly.status).toBe(403);
      expect(sandboxOnly.headers['x-portico-problem']).toBe(
        'wrong_environment',
      );
      const escaping = await ask({
        'x-api-key': partner.key,
        'x-portico-product': 'tracking',
        'x-portico-upstream-uri': '/a/../../admin',
      });
      expect(escaping.status).toBe(400);
      // Free plan: 2 per second, burst 2. One admitted above.
      const second = await ask({
        'x-api-key': partner.key,
        'x-portico-product': 'tracking',
      });
      const third = await ask({
        'x-api-key': partner.key,
        'x-portico-product': 'tracking',
      });
      expect([second.status, third.status]).toEqual([200, 429]);
      expect(third.headers['x-portico-problem']).toBe('rate_limited');
      expect(third.headers['retry-after']).toBeDefined();
    } finally {
      await gateway.shutdown('test');
    }
    expect(await usageOf(prefix, partner.partnerId)).toEqual({
      billable: 2,
      '2xx': 2,
      '5xx': 0,
    });
  });

  it('on shutdown drains in-flight calls and flushes the meter buffer to Redis', async () => {
    const prefix = testPrefix();
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    const { gateway, url } = await startTestGateway(
      knex,
      testSettings({ backendBaseUrl: backend.url, keyPrefix: prefix }),
      // Nothing reaches Redis from the meter unless shutdown flushes it.
      { meterFlushIntervalMs: 3_600_000 },
    );
    for (let i = 0; i < 5; i++) {
      expect(
        (await call(`${url}/gateway/tracking/a`, partner.key)).status,
      ).toBe(200);
    }
    expect(
      (await call(`${url}/gateway/tracking/status/503`, partner.key)).status,
    ).toBe(503);
    const slow = call(`${url}/gateway/tracking/slow/700`, partner.key);
    await eventually(() => gateway.stats.active === 1);

    // Only the meter counts calls (billable included), and it has not flushed.
    expect(await usageOf(prefix, partner.partnerId)).toEqual({
      billable: 0,
      '2xx': 0,
      '5xx': 0,
    });

    const report = await gateway.shutdown('SIGTERM');
    expect((await slow).status).toBe(200);
    expect(report).toMatchObject({
      drained: 1,
      forced: 0,
      served: 7,
      unflushedRows: 0,
    });
    expect(report.meterRowsAtClose).toBeGreaterThan(0);
    expect(await usageOf(prefix, partner.partnerId)).toEqual({
      billable: 6,
      '2xx': 6,
      '5xx': 1,
    });
    await expect(call(`${url}/healthz`)).rejects.toThrow();
  });

  it('applies a revocation on every replica within a second', async () => {
    const prefix = testPrefix();
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    const settings = testSettings({
      backendBaseUrl: backend.url,
      keyPrefix: prefix,
    });
    const a = await startTestGateway(knex, settings);
    const b = await startTestGateway(knex, settings);
    const publisher = new Redis(testRedisUrl());
    const bus = new RedisRevocationBus(
      publisher,
      new Redis(testRedisUrl()),
      prefix,
      true,
    );
    try {
      for (const { url } of [a, b]) {
        expect(
          (await call(`${url}/gateway/tracking/x`, partner.key)).status,
        ).toBe(200);
      }
      // What the backend does on revoke: the row, then the eviction.
      await knex('api_keys')
        .where({ id: partner.keyId })
        .update({ status: 'revoked', revoked_at: new Date() });
      // Cached for 5 s: without the eviction both would still serve it.
      for (const { url } of [a, b]) {
        expect(
          (await call(`${url}/gateway/tracking/x`, partner.key)).status,
        ).toBe(200);
      }
      const published = Date.now();
      await bus.publish(partner.keyId);
      const statuses = async () =>
        Promise.all(
          [a, b].map(
            async ({ url }) =>
              (await call(`${url}/gateway/tracking/x`, partner.key)).status,
          ),
        );
      await eventually(
        async () => (await statuses()).every(s => s === 401),
        1000,
      );
      expect(Date.now() - published).toBeLessThan(1000);
      const refused = await call(`${a.url}/gateway/tracking/x`, partner.key);
      expect(JSON.parse(refused.text).code).toBe('revoked_key');
    } finally {
      await bus.close();
      await a.gateway.shutdown('test');
      await b.gateway.shutdown('test');
    }
  });
});
