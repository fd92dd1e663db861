import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { apiMarketplacePlugin } from '../plugin';
import { apiEntity, marketplaceBlock } from '../__fixtures__/entities';

jest.setTimeout(60_000);

/** Operation ids as real specs have them: slashes, spaces, dots, non-ASCII. */
const ODD_IDS = [
  'repos/get-content',
  'list items (v2)',
  'Ünïcode.öp',
  '100%#?&',
];

const oddSpec = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'Odd', version: '1.0.0' },
  paths: Object.fromEntries(
    ODD_IDS.map((operationId, i) => [
      `/odd/${i}`,
      {
        get: {
          operationId,
          summary: `Odd ${i}`,
          tags: ['Odd'],
          responses: { '200': { description: 'OK' } },
        },
      },
    ]),
  ),
});

const BASE = '/api/api-marketplace/v1/products';

describe('operation routes', () => {
  let server: Parameters<typeof request>[0];
  let get: (path: string) => request.Test;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        apiMarketplacePlugin,
        catalogServiceMock.factory({
          entities: [
            apiEntity('tracking', marketplaceBlock),
            apiEntity('odd', { ...marketplaceBlock, id: 'odd' }, oddSpec),
          ],
        }),
        mockServices.rootConfig.factory({
          data: { apiMarketplace: { productCacheMs: 0 } },
        }),
      ],
    }));
    get = path =>
      request(server)
        .get(BASE + path)
        .set('authorization', mockCredentials.user.header());
  });

  it('lists one small entry per operation, in the order and with the ids of the product', async () => {
    const detail = await get('/tracking');
    const index = await get('/tracking/operations');

    expect(index.status).toBe(200);
    expect(index.body).toEqual({
      items: [
        {
          operationId: 'getShipment',
          method: 'GET',
          path: '/shipments/{shipmentId}',
          summary: 'Get a shipment',
          tags: ['Shipments'],
          deprecated: false,
        },
        {
          // No operationId in the spec: the same fallback id as the product.
          operationId: 'postShipments',
          method: 'POST',
          path: '/shipments',
          summary: 'Create a shipment',
          tags: [],
          deprecated: false,
        },
      ],
    });
    expect(index.body.items.map((op: any) => op.operationId)).toEqual(
      detail.body.operations.map((op: any) => op.operationId),
    );
  });

  it('serves every operation exactly as the product lists it', async () => {
    const detail = await get('/tracking');
    // The product itself still carries its operations for existing clients.
    expect(detail.body.operations).toHaveLength(2);

    for (const operation of detail.body.operations) {
      const res = await get(`/tracking/operations/${operation.operationId}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(operation);
    }
    const post = await get('/tracking/operations/postShipments');
    expect(post.body.requestBody).toEqual({
      contentType: 'application/json',
      required: true,
      example: { status: 'created' },
    });
  });

  it('finds operations whose ids need URL encoding', async () => {
    const index = await get('/odd/operations');
    expect(index.body.items.map((op: any) => op.operationId)).toEqual(ODD_IDS);

    for (const [i, operationId] of ODD_IDS.entries()) {
      const res = await get(
        `/odd/operations/${encodeURIComponent(operationId)}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ operationId, path: `/odd/${i}` });
    }
  });

  it('answers 404 NotFoundError for an unknown product or operation', async () => {
    for (const path of [
      '/nope/operations',
      '/nope/operations/getShipment',
      `/${encodeURIComponent('Nö such/id')}/operations`,
      '/tracking/operations/nope',
      // An operation of another product is not one of this product.
      `/tracking/operations/${encodeURIComponent(ODD_IDS[0])}`,
      // Case matters, as in the spec.
      '/tracking/operations/GETSHIPMENT',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status, name: res.body.error?.name }).toEqual({
        path,
        status: 404,
        name: 'NotFoundError',
      });
    }
  });

  it('refuses callers without credentials', async () => {
    const res = await request(server)
      .get(`${BASE}/tracking/operations`)
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
