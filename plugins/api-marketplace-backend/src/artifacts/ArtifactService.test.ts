import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  apiEntity,
  marketplaceBlock,
  trackingSpec,
} from '../__fixtures__/entities';
import { ProductService } from '../products/ProductService';
import { SpecHistoryRecorder } from '../products/SpecHistoryRecorder';
import { ArtifactService } from './ArtifactService';

jest.setTimeout(60_000);

const swaggerSpec = JSON.stringify({
  swagger: '2.0',
  info: { title: 'Carriers', version: '1.4.0' },
  host: 'api.example.com',
  basePath: '/carriers/v1',
  schemes: ['https'],
  paths: {
    '/carriers/{code}': {
      get: {
        operationId: 'getCarrier',
        parameters: [
          {
            name: 'code',
            in: 'path',
            required: true,
            type: 'string',
            'x-example': 'NWL',
          },
        ],
        responses: {
          '200': {
            description: 'A carrier',
            schema: { $ref: '#/definitions/Carrier' },
          },
        },
      },
    },
  },
  definitions: {
    Carrier: {
      type: 'object',
      required: ['code'],
      properties: { code: { type: 'string' }, name: { type: 'string' } },
    },
  },
});

function createService() {
  const catalog = catalogServiceMock({
    entities: [
      apiEntity('tracking', marketplaceBlock, trackingSpec),
      apiEntity(
        'carriers',
        { ...marketplaceBlock, id: 'carriers' },
        swaggerSpec,
      ),
    ],
  });
  const recorder = {
    record: jest.fn(async () => {}),
  } as unknown as SpecHistoryRecorder;
  const products = ProductService.create({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    history: recorder,
  });
  const discovery = mockServices.discovery();
  return new ArtifactService(products, discovery);
}

/** Type-checks a generated client together with code that uses it. */
function typeCheck(source: string, usage: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'portico-sdk-'));
  writeFileSync(join(dir, 'client.ts'), source);
  writeFileSync(join(dir, 'usage.ts'), usage);
  const program = ts.createProgram(
    [join(dir, 'client.ts'), join(dir, 'usage.ts')],
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
    },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('ArtifactService', () => {
  it('generates a Postman v2.1 collection pointed at the gateway with an apiKey variable', async () => {
    const collection: any = await createService().postmanCollection('tracking');
    expect(collection.info.schema).toBe(
      'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    );
    expect(collection.variable).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'baseUrl',
          value: expect.stringMatching(
            /\/api\/api-marketplace\/gateway\/tracking$/,
          ),
        }),
        expect.objectContaining({ key: 'apiKey' }),
      ]),
    );
    expect(collection.auth.type).toBe('apikey');
    const requests = JSON.stringify(collection.item);
    expect(requests).toContain('Get a shipment');
    expect(requests).toContain('Create a shipment');
  });

  it('converts Swagger 2.0 for Postman and the client too', async () => {
    const service = createService();
    const collection: any = await service.postmanCollection('carriers');
    expect(JSON.stringify(collection.item)).toContain('carriers');
    const client = await service.typescriptClient('carriers');
    expect(client).toContain('"/carriers/{code}"');
  });

  it('generates snippets that call the gateway with the example values', async () => {
    const snippets = await createService().snippets('tracking', 'getShipment');
    expect(snippets.map(s => s.language)).toEqual([
      'curl',
      'javascript',
      'node',
      'python',
      'go',
      'java',
    ]);
    const curl = snippets.find(s => s.language === 'curl')!.code;
    expect(curl).toContain(
      '/api/api-marketplace/gateway/tracking/shipments/6f1c2a3e-8d7b-4a9e-9c1d-2b3a4c5d6e7f',
    );
    expect(curl).toContain('X-API-Key: $API_KEY');
    const python = snippets.find(s => s.language === 'python')!.code;
    expect(python).toContain('import requests');
    await expect(createService().snippets('tracking', 'nope')).rejects.toThrow(
      "has no operation 'nope'",
    );
    await expect(
      createService().snippets('nope', 'getShipment'),
    ).rejects.toThrow("No product with id 'nope'");
  });

  it('generates a TypeScript client that type-checks and rejects wrong usage', async () => {
    const source = await createService().typescriptClient('tracking');
    expect(source).toContain('export interface paths');
    const good = `import { createClient } from './client';
const client = createClient({ apiKey: 'sk_test_x' });
export async function f() {
  const shipment = await client.request('get', '/shipments/{shipmentId}', { path: { shipmentId: 'abc' } });
  return shipment.status;
}`;
    expect(typeCheck(source, good)).toEqual([]);
    const bad = `import { createClient } from './client';
const client = createClient({ apiKey: 'sk_test_x' });
export const f = () => client.request('get', '/no/such/path', {});`;
    expect(typeCheck(source, bad).join('\n')).toContain('/no/such/path');
  });
});
