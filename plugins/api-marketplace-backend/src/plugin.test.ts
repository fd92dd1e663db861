import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { apiMarketplacePlugin } from './plugin';
import { apiEntity, marketplaceBlock } from './__fixtures__/entities';

async function startWith(entities: ReturnType<typeof apiEntity>[]) {
  const { server } = await startTestBackend({
    features: [
      apiMarketplacePlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: { apiMarketplace: { productCacheMs: 0 } },
      }),
    ],
  });
  return server;
}

describe('apiMarketplacePlugin', () => {
  it('serves /health without credentials', async () => {
    const server = await startWith([]);
    const res = await request(server)
      .get('/api/api-marketplace/health')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('refuses the product list without credentials', async () => {
    const server = await startWith([]);
    const res = await request(server)
      .get('/api/api-marketplace/v1/products')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('lists only entities with a valid marketplace block, and filters them', async () => {
    const server = await startWith([
      apiEntity('tracking', marketplaceBlock),
      apiEntity('routing', {
        ...marketplaceBlock,
        id: 'routing',
        category: 'data',
        tags: ['maps'],
      }),
      apiEntity('broken', {
        ...marketplaceBlock,
        id: 'broken',
        status: 'retired',
      }),
      apiEntity(
        'garbage-spec',
        { ...marketplaceBlock, id: 'garbage' },
        ': not: [valid',
      ),
    ]);

    const all = await request(server)
      .get('/api/api-marketplace/v1/products')
      .set('authorization', mockCredentials.user.header());
    expect(all.status).toBe(200);
    expect(all.body.items.map((p: any) => p.id).sort()).toEqual([
      'routing',
      'tracking',
    ]);
    const tracking = all.body.items.find((p: any) => p.id === 'tracking');
    expect(tracking).toMatchObject({
      entityRef: 'api:default/tracking',
      version: '2.1.0',
      specVersion: '3.0.3',
      operationCount: 2,
      pricing: marketplaceBlock.pricing,
    });
    expect(tracking.operations).toBeUndefined();

    const filtered = await request(server)
      .get('/api/api-marketplace/v1/products?category=data')
      .set('authorization', mockCredentials.user.header());
    expect(filtered.body.items.map((p: any) => p.id)).toEqual(['routing']);

    const text = await request(server)
      .get('/api/api-marketplace/v1/products?q=MAPS')
      .set('authorization', mockCredentials.user.header());
    expect(text.body.items.map((p: any) => p.id)).toEqual(['routing']);
  });

  it('returns a product with its operations, and 404 for an unknown id', async () => {
    const server = await startWith([apiEntity('tracking', marketplaceBlock)]);
    const res = await request(server)
      .get('/api/api-marketplace/v1/products/tracking')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.operations).toEqual([
      expect.objectContaining({
        operationId: 'getShipment',
        method: 'GET',
        path: '/shipments/{shipmentId}',
        parameters: [
          expect.objectContaining({
            name: 'shipmentId',
            in: 'path',
            required: true,
            type: 'string (uuid)',
          }),
          expect.objectContaining({
            name: 'expand',
            in: 'query',
            type: 'string[]',
          }),
        ],
        responses: [
          expect.objectContaining({
            status: '200',
            example: {
              id: '6f1c2a3e-8d7b-4a9e-9c1d-2b3a4c5d6e7f',
              status: 'in_transit',
            },
          }),
          expect.objectContaining({ status: '404' }),
        ],
      }),
      expect.objectContaining({
        operationId: 'postShipments',
        method: 'POST',
        requestBody: {
          contentType: 'application/json',
          required: true,
          example: { status: 'created' },
        },
      }),
    ]);

    const missing = await request(server)
      .get('/api/api-marketplace/v1/products/nope')
      .set('authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });

  it('rejects a bad filter with an InputError', async () => {
    const server = await startWith([]);
    const res = await request(server)
      .get('/api/api-marketplace/v1/products?category=food')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
  });
});

describe('apiMarketplacePlugin artifacts', () => {
  it('serves history, Postman, snippets and the client for a product, 404 otherwise', async () => {
    const server = await startWith([apiEntity('tracking', marketplaceBlock)]);
    const get = (path: string) =>
      request(server)
        .get(`/api/api-marketplace${path}`)
        .set('authorization', mockCredentials.user.header());

    const changes = await get('/v1/products/tracking/changes');
    expect(changes.status).toBe(200);
    expect(changes.body.items).toEqual([
      expect.objectContaining({
        version: '2.1.0',
        breaking: false,
        changes: [],
      }),
    ]);

    const postman = await get('/v1/products/tracking/postman');
    expect(postman.status).toBe(200);
    expect(postman.headers['content-disposition']).toBe(
      'attachment; filename="tracking.postman_collection.json"',
    );
    expect(postman.body.info.name).toBe('Tracking');

    const snippets = await get('/v1/products/tracking/snippets/getShipment');
    expect(snippets.status).toBe(200);
    expect(snippets.body.snippets[0]).toEqual(
      expect.objectContaining({
        language: 'curl',
        code: expect.stringContaining('curl'),
      }),
    );

    const sdk = await get('/v1/products/tracking/sdk/typescript');
    expect(sdk.status).toBe(200);
    expect(sdk.headers['content-type']).toMatch(/^text\/plain/);
    expect(sdk.text).toContain('export function createClient');

    for (const path of [
      '/v1/products/nope/changes',
      '/v1/products/nope/postman',
      '/v1/products/nope/sdk/typescript',
      '/v1/products/tracking/snippets/nope',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status, code: res.body.error?.name }).toEqual({
        path,
        status: 404,
        code: 'NotFoundError',
      });
    }
  });
});
