import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { request } from 'undici';
import {
  deleteTestKeys,
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

const SHIPMENT = { id: 'SH-42', status: 'in_transit' };
const SPEC = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'Tracking', version: '1.0.0' },
  paths: {
    '/shipments/{id}': {
      get: {
        operationId: 'getShipment',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^SH-[0-9]+$' },
          },
        ],
        responses: {
          '200': {
            description: 'The shipment',
            content: { 'application/json': { example: SHIPMENT } },
          },
        },
      },
    },
  },
});
const SPEC_HASH = createHash('sha256').update(SPEC).digest('hex');

const databases = createPostgresDatabases();
let knex: Knex;
let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
let backend: Awaited<ReturnType<typeof fakeBackend>>;

beforeAll(async () => {
  knex = await databases.init('POSTGRES_15');
  await migrateMarketplaceDatabase(knex);
  // What the backend records when it publishes the product's spec.
  await knex('spec_versions').insert({
    product_id: 'tracking',
    entity_ref: 'api:default/tracking',
    spec_hash: SPEC_HASH,
    version: '1.0.0',
    spec_text: SPEC,
    previous_hash: '',
    changes: '[]',
  });
  upstream = await recordingUpstream();
  backend = await fakeBackend({
    token: TEST_TOKEN,
    // A spec and no sandboxUrl.
    products: [
      { id: 'tracking', baseUrl: `${upstream.url}/v2`, specHash: SPEC_HASH },
    ],
  });
});

afterAll(async () => {
  await upstream.close();
  await backend.close();
  await deleteTestKeys();
});

async function call(url: string, key?: string) {
  const response = await request(url, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (await response.body.json()) as any,
  };
}

describe('sandbox keys on the standalone gateway', () => {
  it('serves a product without sandboxUrl from the built-in mock; live keys still reach baseUrl', async () => {
    const partner = await seedPartner(knex, {
      plans: { tracking: 'starter' },
      environment: 'sandbox',
    });
    expect(partner.key).toMatch(/^sk_test_/);
    const live = await addKey(knex, partner.partnerId, {
      environment: 'production',
      productIds: ['tracking'],
    });
    const { gateway, url } = await startTestGateway(
      knex,
      testSettings({ backendBaseUrl: backend.url, keyPrefix: testPrefix() }),
    );
    try {
      upstream.seen.length = 0;
      const mocked = await call(
        `${url}/gateway/tracking/shipments/SH-42`,
        partner.key,
      );
      expect(mocked.status).toBe(200);
      expect(mocked.body).toEqual(SHIPMENT);
      expect(mocked.headers['ratelimit-limit']).toBe('1000');
      // Prism validates against the spec.
      const invalid = await call(
        `${url}/gateway/tracking/shipments/42`,
        partner.key,
      );
      expect(invalid.status).toBe(400);
      expect(invalid.headers['x-portico-sandbox']).toBe('validation');
      expect(upstream.seen).toEqual([]);

      const proxied = await call(
        `${url}/gateway/tracking/shipments/SH-42`,
        live.key,
      );
      expect(proxied.status).toBe(200);
      expect(upstream.seen.map(s => s.url)).toEqual(['/v2/shipments/SH-42']);

      // The mock is on loopback and answers only calls the gateway signed.
      const mockUrl = gateway.products.resolve('tracking')?.sandboxUrl;
      expect(mockUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tracking$/);
      const direct = await call(`${mockUrl}/shipments/SH-42`);
      expect(direct.status).toBe(403);
    } finally {
      await gateway.shutdown('test');
    }
  });

  it('leaves sandbox keys to sandboxFallbackUrl when one is configured', async () => {
    const partner = await seedPartner(knex, {
      plans: { tracking: 'starter' },
      environment: 'sandbox',
    });
    const { gateway, url } = await startTestGateway(
      knex,
      testSettings({
        backendBaseUrl: backend.url,
        keyPrefix: testPrefix(),
        sandboxFallbackUrl: `${upstream.url}/mocks/{productId}`,
      }),
    );
    try {
      upstream.seen.length = 0;
      const answer = await call(`${url}/gateway/tracking/x`, partner.key);
      expect(answer.status).toBe(200);
      expect(upstream.seen.map(s => s.url)).toEqual(['/mocks/tracking/x']);
    } finally {
      await gateway.shutdown('test');
    }
  });
});
