import type { Knex } from 'knex';
import { request } from 'undici';
import {
  deleteTestKeys,
  eventually,
  testPrefix,
} from '@portico/plugin-api-marketplace-node/testUtils';
import { createPostgresDatabases } from './__testUtils__/env';
import {
  TEST_TOKEN,
  startTestGateway,
  testSettings,
} from './__testUtils__/gateways';
import {
  addKey,
  migrateMarketplaceDatabase,
  seedPartner,
} from './__testUtils__/seed';
import { fakeBackend, recordingUpstream } from './__testUtils__/servers';

jest.setTimeout(60_000);

const databases = createPostgresDatabases();
let knex: Knex;
let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
let backend: Awaited<ReturnType<typeof fakeBackend>>;

beforeAll(async () => {
  knex = await databases.init('POSTGRES_15');
  await migrateMarketplaceDatabase(knex);
  upstream = await recordingUpstream();
  backend = await fakeBackend({
    token: TEST_TOKEN,
    products: [{ id: 'tracking', baseUrl: upstream.url }],
  });
});

afterAll(async () => {
  await upstream.close();
  await backend.close();
  await deleteTestKeys();
});

async function lastUsedAt(keyId: string): Promise<number | undefined> {
  const row = await knex('api_keys').where({ id: keyId }).first('last_used_at');
  return row.last_used_at ? new Date(row.last_used_at).getTime() : undefined;
}

async function status(url: string, headers: Record<string, string>) {
  const response = await request(url, { headers });
  await response.body.dump();
  return response.statusCode;
}

describe('last use of keys through the standalone gateway', () => {
  it('writes last_used_at of the keys that made calls, at the latest on shutdown', async () => {
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    const viaNginx = await addKey(knex, partner.partnerId, {
      environment: 'production',
      productIds: ['tracking'],
    });
    const unused = await addKey(knex, partner.partnerId, {
      environment: 'production',
      productIds: ['tracking'],
    });
    const { gateway, url } = await startTestGateway(
      knex,
      testSettings({ backendBaseUrl: backend.url, keyPrefix: testPrefix() }),
      // Only the shutdown flush can write it.
      { lastUsedFlushIntervalMs: 3_600_000 },
    );
    // Database timestamps may be rounded: compare to the second.
    const before = Date.now() - 1000;
    try {
      const bearer = { authorization: `Bearer ${partner.key}` };
      expect(await status(`${url}/gateway/tracking/a`, bearer)).toBe(200);
      expect(await status(`${url}/gateway/tracking/b`, bearer)).toBe(200);
      expect(
        await status(`${url}/auth-request`, {
          'x-api-key': viaNginx.key,
          'x-original-uri': '/gateway/tracking/a',
        }),
      ).toBe(200);
      expect(
        await status(`${url}/gateway/tracking/a`, {
          authorization: `Bearer ${unused.key.slice(0, -1)}x`,
        }),
      ).toBe(401);
      expect(await lastUsedAt(partner.keyId)).toBeUndefined();
    } finally {
      await gateway.shutdown('SIGTERM');
    }
    const after = Date.now();
    for (const keyId of [partner.keyId, viaNginx.keyId]) {
      const at = await lastUsedAt(keyId);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    }
    expect(await lastUsedAt(unused.keyId)).toBeUndefined();
  });

  it('writes it every interval while serving', async () => {
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    const { gateway, url } = await startTestGateway(
      knex,
      testSettings({ backendBaseUrl: backend.url, keyPrefix: testPrefix() }),
      { lastUsedFlushIntervalMs: 100 },
    );
    try {
      expect(
        await status(`${url}/gateway/tracking/a`, {
          authorization: `Bearer ${partner.key}`,
        }),
      ).toBe(200);
      await eventually(
        async () => (await lastUsedAt(partner.keyId)) !== undefined,
      );
      expect(gateway.stats.draining).toBe(false);
    } finally {
      await gateway.shutdown('test');
    }
  });
});
