import type { ApiKey, IssuedApiKey, Partner, Subscription } from '../api';
import type {
  ProductDetail,
  ProductOperation,
  ProductSummary,
  SpecVersion,
} from '@portico/plugin-api-marketplace-common';

export function makeProduct(
  overrides: Partial<ProductSummary> = {},
): ProductSummary {
  return {
    id: 'tracking',
    entityRef: 'api:default/tracking',
    title: 'Tracking',
    description: 'Follow parcels from pickup to doorstep.',
    version: '2.1.0',
    specVersion: '3.0.3',
    specHash: 'hash-2',
    category: 'logistics',
    status: 'active',
    baseUrl: 'https://api.example.com/tracking',
    tags: ['parcels', 'realtime'],
    operationCount: 2,
    updatedAt: '2024-05-01T10:00:00.000Z',
    pricing: {
      free: { monthlyQuota: 1000, ratePerSecond: 2 },
      starter: {
        monthlyPrice: 49,
        includedCalls: 100000,
        overagePer1000: 0.5,
        ratePerSecond: 20,
      },
      enterprise: {
        monthlyPrice: 499,
        includedCalls: 5000000,
        overagePer1000: 0.125,
        ratePerSecond: 200,
      },
    },
    ...overrides,
  };
}

export function makeOperation(
  overrides: Partial<ProductOperation> = {},
): ProductOperation {
  return {
    operationId: 'getShipment',
    method: 'get',
    path: '/shipments/{id}',
    summary: 'Get a shipment',
    tags: ['Shipments'],
    deprecated: false,
    parameters: [
      {
        name: 'id',
        in: 'path',
        required: true,
        type: 'string',
        example: 'PX-1',
        description: 'Shipment id',
      },
    ],
    responses: [
      {
        status: '200',
        description: 'The shipment',
        contentType: 'application/json',
        example: { id: 'PX-1', state: 'in-transit' },
      },
      { status: '404', description: 'No such shipment' },
    ],
    ...overrides,
  };
}

export function makeProductDetail(
  overrides: Partial<ProductDetail> = {},
): ProductDetail {
  const operations = overrides.operations ?? [
    makeOperation(),
    makeOperation({
      operationId: 'createShipment',
      method: 'post',
      path: '/shipments',
      summary: 'Create a shipment',
      parameters: [],
      requestBody: {
        contentType: 'application/json',
        required: true,
        example: { to: 'Berlin' },
      },
      responses: [{ status: '201', description: 'Created' }],
    }),
  ];
  return {
    ...makeProduct(),
    operationCount: operations.length,
    ...overrides,
    operations,
  };
}

/** `count` operations spread over `tagCount` tags, like a very large spec. */
export function makeLargeOperationList(
  count: number,
  tagCount: number,
): ProductOperation[] {
  return Array.from({ length: count }, (_, i) =>
    makeOperation({
      operationId: `op${i}`,
      method: i % 2 ? 'post' : 'get',
      path: `/items/${i}`,
      summary: `Operation number ${i}`,
      tags: [`Tag ${i % tagCount}`],
    }),
  );
}

export function makeSpecVersions(): SpecVersion[] {
  return [
    {
      specHash: 'hash-2',
      previousHash: 'hash-1',
      version: '2.0.0',
      detectedAt: '2024-05-01T10:00:00.000Z',
      breaking: true,
      changes: [
        {
          kind: 'operation-removed',
          operation: 'DELETE /shipments/{id}',
          detail: 'The operation was removed',
          breaking: true,
        },
        {
          kind: 'parameter-added',
          operation: 'GET /shipments',
          detail: 'Optional query parameter "since" was added',
          breaking: false,
        },
      ],
    },
    {
      specHash: 'hash-1',
      version: '1.0.0',
      detectedAt: '2024-01-15T08:30:00.000Z',
      breaking: false,
      changes: [],
    },
  ];
}

export function makePartner(overrides: Partial<Partner> = {}): Partner {
  return {
    id: 'p-1',
    slug: 'acme',
    name: 'Acme',
    billingEmail: 'billing@acme.test',
    status: 'active',
    createdAt: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
}

export function makeSubscription(
  overrides: Partial<Subscription> = {},
): Subscription {
  return {
    id: 's-1',
    partnerId: 'p-1',
    productId: 'tracking',
    plan: 'free',
    status: 'active',
    currentPeriodStart: '2024-05-01T00:00:00.000Z',
    currentPeriodEnd: '2024-06-01T00:00:00.000Z',
    createdAt: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
}

export function makeKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: 'k-1',
    name: 'Sandbox key',
    prefix: 'pk_sbx_ab12',
    environment: 'sandbox',
    productIds: ['tracking'],
    allowedIps: [],
    status: 'active',
    createdBy: 'user:default/jane',
    createdAt: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
}

export function makeIssuedKey(
  overrides: Partial<IssuedApiKey> = {},
): IssuedApiKey {
  return { ...makeKey(), key: 'pk_sbx_ab12_secret', ...overrides };
}
