import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import type { ProductDetail } from '@portico/plugin-api-marketplace-common';
import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import { extractOperations } from '../products/extractOperations';
import { parseSpecText } from '../products/specDocument';
import { MockProducts, MockSandbox, parsePrefer } from './MockSandbox';
import { MockState } from './MockState';
import { isRiskyPattern, sanitizeSpec } from './prepareOperations';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '__fixtures__', name), 'utf8');

const SPECS: Record<string, string> = {
  parcels: fixture('openapi30.yaml'),
  weather: fixture('openapi31.json'),
  pets: fixture('swagger20.json'),
};

function productsOf(
  specs: Record<string, string>,
  sandboxUrls: Record<string, string> = {},
): MockProducts {
  return {
    async get(id) {
      const text = specs[id];
      if (!text) return undefined;
      return {
        id,
        sandboxUrl: sandboxUrls[id],
        operations: extractOperations(parseSpecText(text)),
      } as unknown as ProductDetail;
    },
    async getSpecText(id) {
      return specs[id];
    },
  };
}

const sandbox = new MockSandbox({ products: productsOf(SPECS) });
const parcel = (headers: Record<string, string> = {}) => ({
  productId: 'parcels',
  method: 'GET',
  path: '/parcels/PX-1001',
  headers: { 'X-Request-Id': 'r1', ...headers },
});

describe('MockSandbox with OpenAPI 3.0', () => {
  it('answers with the first example of the operation', async () => {
    await expect(sandbox.handle(parcel())).resolves.toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        id: 'PX-1001',
        recipient: 'Ada Lovelace',
        weightGrams: 1200,
        status: 'in_transit',
      },
    });
  });

  it('generates a stable body from the schema when there is no example', async () => {
    const request = {
      productId: 'parcels',
      method: 'GET',
      path: '/parcels/PX-1/events',
    };
    const first = await sandbox.handle(request);
    expect(first.statusCode).toBe(200);
    expect(first.body).toEqual([
      {
        at: '2019-08-24T14:15:22Z',
        kind: 'picked_up',
        location: 'string',
        attempts: 0,
      },
    ]);
    await expect(sandbox.handle(request)).resolves.toEqual(first);
  });

  it('honours Prefer: code, example and dynamic', async () => {
    await expect(
      sandbox.handle(parcel({ Prefer: 'code=404' })),
    ).resolves.toMatchObject({
      statusCode: 404,
      body: { code: 'not_found', message: 'No parcel with this id' },
    });
    await expect(
      sandbox.handle(parcel({ Prefer: 'example=delivered' })),
    ).resolves.toMatchObject({
      statusCode: 200,
      body: { status: 'delivered' },
    });
    const dynamic = await sandbox.handle({
      productId: 'parcels',
      method: 'GET',
      path: '/parcels/PX-1/events',
      headers: { prefer: 'dynamic=true' },
    });
    expect(dynamic.statusCode).toBe(200);
    for (const event of dynamic.body as any[]) {
      expect(typeof event.location).toBe('string');
      expect([
        'picked_up',
        'sorted',
        'out_for_delivery',
        'delivered',
      ]).toContain(event.kind);
      expect(Number.isNaN(Date.parse(event.at))).toBe(false);
    }
  });

  it('refuses a Prefer the spec cannot honour, with the reason', async () => {
    await expect(
      sandbox.handle(parcel({ Prefer: 'example=lost' })),
    ).rejects.toThrow(
      'the Prefer header cannot be honoured: Response for contentType: application/json and exampleKey: lost does not exist.',
    );
    await expect(
      sandbox.handle(parcel({ Prefer: 'code=418' })),
    ).rejects.toThrow(
      'the Prefer header cannot be honoured: Requested status code 418 is not defined in the document.',
    );
    await expect(
      sandbox.handle(parcel({ Prefer: 'code=abc' })),
    ).rejects.toThrow(
      "Prefer: code must be an HTTP status from 100 to 599, not 'abc'",
    );
  });

  it('lists every failed parameter in a 400 problem', async () => {
    const response = await sandbox.handle({
      productId: 'parcels',
      method: 'GET',
      path: '/parcels/bad$id',
      query: { limit: 'many' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect((response.body as any).errors).toEqual([
      {
        in: 'header',
        name: 'X-Request-Id',
        message: "Request header must have required property 'x-request-id'",
      },
      {
        in: 'path',
        name: 'parcelId',
        message:
          'Request path parameter parcelId must match pattern "^[A-Za-z0-9-]+$"',
      },
    ]);
    const list = await sandbox.handle({
      productId: 'parcels',
      method: 'GET',
      path: '/parcels',
      query: { limit: 'many', status: 'lost' },
    });
    expect(list.body).toMatchObject({
      status: 400,
      title: 'The request does not match the API specification',
      errors: [
        {
          in: 'query',
          name: 'limit',
          message: expect.stringMatching(/integer/),
        },
        {
          in: 'query',
          name: 'status',
          message: expect.stringMatching(/allowed values/),
        },
      ],
    });
  });

  it('answers 422 naming the body fields that failed', async () => {
    const response = await sandbox.handle({
      productId: 'parcels',
      method: 'POST',
      path: '/parcels',
      body: { recipient: '', weightGrams: 'heavy' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toEqual({
      type: 'urn:portico:sandbox:invalid-request',
      title: 'The request does not match the API specification',
      status: 422,
      detail:
        'Request body property recipient must NOT have fewer than 1 characters; Request body property weightGrams must be integer',
      errors: [
        {
          in: 'body',
          name: 'recipient',
          message:
            'Request body property recipient must NOT have fewer than 1 characters',
        },
        {
          in: 'body',
          name: 'weightGrams',
          message: 'Request body property weightGrams must be integer',
        },
      ],
    });
  });

  it('answers 400 for a missing or unparseable body and 415 for a wrong type', async () => {
    const post = { productId: 'parcels', method: 'POST', path: '/parcels' };
    await expect(sandbox.handle(post)).resolves.toMatchObject({
      statusCode: 400,
      body: { errors: [{ in: 'body', message: 'Body parameter is required' }] },
    });
    const broken = await sandbox.handle({ ...post, body: '{"recipient": ' });
    expect(broken.statusCode).toBe(400);
    expect((broken.body as any).detail).toMatch(
      /^Request body is not valid JSON/,
    );
    await expect(
      sandbox.handle({
        ...post,
        body: 'recipient=a',
        headers: { 'content-type': 'text/plain' },
      }),
    ).resolves.toMatchObject({
      statusCode: 415,
      body: {
        errors: [
          {
            in: 'header',
            name: 'content-type',
            message: 'Supported content types: application/json',
          },
        ],
      },
    });
  });

  it('drops the content type of a 204', async () => {
    await expect(
      sandbox.handle({
        productId: 'parcels',
        method: 'DELETE',
        path: '/parcels/PX-1',
      }),
    ).resolves.toEqual({ statusCode: 204, headers: {}, body: null });
  });

  it('refuses unknown routes, products and malformed requests clearly', async () => {
    await expect(
      sandbox.handle({ productId: 'parcels', method: 'GET', path: '/admin' }),
    ).rejects.toThrow(
      new NotFoundError("GET /admin matches no operation of product 'parcels'"),
    );
    await expect(
      sandbox.handle({ productId: 'parcels', method: 'PUT', path: '/parcels' }),
    ).rejects.toThrow("/parcels has no PUT operation in product 'parcels'");
    await expect(
      sandbox.handle({ productId: 'nope', method: 'GET', path: '/' }),
    ).rejects.toThrow(new NotFoundError("product 'nope' not found"));
    for (const bad of [
      { path: '/parcels\r\nX: 1' },
      { path: '/parcels%0d%0a' },
      { path: 'parcels' },
      { path: '/parcels?limit=1' },
      { method: 'TRACE' },
      { headers: { 'X-A': 'a\r\nb' } },
      { query: { q: 'a\u0000' } },
    ]) {
      await expect(
        sandbox.handle({
          productId: 'parcels',
          method: 'GET',
          path: '/parcels',
          ...bad,
        }),
      ).rejects.toThrow(InputError);
    }
  });

  it('serves only products without their own sandbox', async () => {
    const own = new MockSandbox({
      products: productsOf(SPECS, { parcels: 'https://sandbox.example.com' }),
    });
    await expect(own.handle(parcel())).rejects.toThrow(
      "product 'parcels' has its own sandbox at https://sandbox.example.com; the built-in mock only serves products without one",
    );
  });

  it('refuses a spec it cannot read', async () => {
    const broken = new MockSandbox({
      products: productsOf({ bad: 'openapi: [' }),
    });
    await expect(
      broken.handle({ productId: 'bad', method: 'GET', path: '/' }),
    ).rejects.toThrow(InputError);
  });
});

describe('MockSandbox with OpenAPI 3.1', () => {
  it('mocks and validates 3.1 schemas (type arrays, examples on parameters)', async () => {
    const weather = await sandbox.handle({
      productId: 'weather',
      method: 'GET',
      path: '/weather/paris',
      query: { units: 'metric' },
    });
    expect(weather).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        city: 'string',
        temperature: 0,
        feelsLike: 0,
        alerts: ['string'],
      },
    });
    await expect(
      sandbox.handle({
        productId: 'weather',
        method: 'POST',
        path: '/reports',
        body: { city: 'Paris', temperature: 21.5, note: null },
      }),
    ).resolves.toMatchObject({ statusCode: 202, body: { accepted: true } });
    const invalid = await sandbox.handle({
      productId: 'weather',
      method: 'POST',
      path: '/reports',
      body: { city: 'Paris', temperature: 'warm', extra: 1 },
    });
    expect(invalid.statusCode).toBe(422);
    expect((invalid.body as any).errors).toEqual([
      {
        in: 'body',
        name: 'extra',
        message:
          "Request body must NOT have additional properties; found 'extra'",
      },
      {
        in: 'body',
        name: 'temperature',
        message: 'Request body property temperature must be number',
      },
    ]);
  });
});

describe('MockSandbox with Swagger 2.0', () => {
  it('answers from examples and validates parameters and bodies', async () => {
    await expect(
      sandbox.handle({ productId: 'pets', method: 'GET', path: '/pets' }),
    ).resolves.toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: [{ id: 1, name: 'Rex', tag: 'dog' }],
    });
    const pet = await sandbox.handle({
      productId: 'pets',
      method: 'GET',
      path: '/pets/1',
    });
    expect(pet.statusCode).toBe(200);
    expect(pet.body).toMatchObject({ name: 'string' });
    await expect(
      sandbox.handle({ productId: 'pets', method: 'GET', path: '/pets/rex' }),
    ).resolves.toMatchObject({
      statusCode: 400,
      body: { errors: [{ in: 'path', name: 'petId' }] },
    });
    await expect(
      sandbox.handle({
        productId: 'pets',
        method: 'POST',
        path: '/pets',
        body: { tag: 'dog' },
      }),
    ).resolves.toMatchObject({
      statusCode: 422,
      body: { errors: [{ in: 'body', name: 'name' }] },
    });
  });
});

describe('sampleRequest', () => {
  it.each([
    ['parcels', 'getParcel'],
    ['parcels', 'createParcel'],
    ['parcels', 'listParcelEvents'],
    ['weather', 'getWeather'],
    ['weather', 'createReport'],
    ['pets', 'getPet'],
    ['pets', 'createPet'],
  ])(
    'fills %s %s with data the mock accepts',
    async (productId, operationId) => {
      const sample = await sandbox.sampleRequest(productId, operationId);
      const response = await sandbox.handle({
        productId,
        method: sample.method,
        path: sample.path,
        query: sample.query,
        headers: sample.headers,
        body: sample.body,
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(200);
      expect(response.statusCode).toBeLessThan(300);
    },
  );

  it('prefers the spec examples', async () => {
    await expect(
      sandbox.sampleRequest('parcels', 'getParcel'),
    ).resolves.toEqual({
      operationId: 'getParcel',
      method: 'GET',
      pathTemplate: '/parcels/{parcelId}',
      path: '/parcels/PX-1001',
      pathParams: { parcelId: 'PX-1001' },
      query: {},
      headers: { 'x-request-id': 'req-1' },
    });
    await expect(
      sandbox.sampleRequest('parcels', 'createParcel'),
    ).resolves.toMatchObject({
      contentType: 'application/json',
      body: { recipient: 'Ada Lovelace', weightGrams: 1200 },
    });
    await expect(sandbox.sampleRequest('parcels', 'nope')).rejects.toThrow(
      "product 'parcels' has no operation 'nope'",
    );
  });
});

describe('create-then-get demo', () => {
  it('returns what was posted, to the same caller only, until deleted', async () => {
    const mock = new MockSandbox({ products: productsOf(SPECS) });
    const created = await mock.handle({
      productId: 'parcels',
      method: 'POST',
      path: '/parcels',
      body: { recipient: 'Grace Hopper', weightGrams: 300 },
      stateKey: 'user:default/grace',
    });
    expect(created.statusCode).toBe(201);
    const body = created.body as any;
    expect(body).toMatchObject({
      recipient: 'Grace Hopper',
      weightGrams: 300,
      status: 'in_transit',
    });
    expect(body.id).toMatch(/^mock-[0-9a-f]{8}$/);
    expect(created.headers.location).toBe(`/parcels/${body.id}`);

    const get = (stateKey?: string) =>
      mock.handle({ ...parcel(), path: `/parcels/${body.id}`, stateKey });
    await expect(get('user:default/grace')).resolves.toMatchObject({
      statusCode: 200,
      body,
    });
    // Another caller, or no caller, sees the spec's example.
    await expect(get('user:default/ada')).resolves.toMatchObject({
      body: { recipient: 'Ada Lovelace' },
    });
    await expect(get()).resolves.toMatchObject({
      body: { recipient: 'Ada Lovelace' },
    });
    await mock.handle({
      productId: 'parcels',
      method: 'DELETE',
      path: `/parcels/${body.id}`,
      stateKey: 'user:default/grace',
    });
    await expect(get('user:default/grace')).resolves.toMatchObject({
      body: { recipient: 'Ada Lovelace' },
    });
  });

  it('numbers resources whose example id is a number (Swagger 2.0)', async () => {
    const mock = new MockSandbox({ products: productsOf(SPECS) });
    const created = await mock.handle({
      productId: 'pets',
      method: 'POST',
      path: '/pets',
      body: { name: 'Fido' },
      stateKey: 'u',
    });
    expect(created.body).toEqual({ id: 1001, name: 'Fido', tag: 'dog' });
    await expect(
      mock.handle({
        productId: 'pets',
        method: 'GET',
        path: '/pets/1001',
        stateKey: 'u',
      }),
    ).resolves.toMatchObject({ body: { id: 1001, name: 'Fido' } });
  });

  it('is bounded in entries, entry size and age', () => {
    let now = 0;
    const state = new MockState({
      maxEntries: 2,
      maxEntryBytes: 20,
      ttlMs: 100,
      now: () => now,
    });
    expect(state.set('a', { v: 1 })).toBe(true);
    expect(state.set('b', { v: 2 })).toBe(true);
    state.get('a');
    expect(state.set('c', { v: 3 })).toBe(true);
    expect(state.size).toBe(2);
    expect(state.get('b')).toBeUndefined();
    expect(state.get('a')).toEqual({ v: 1 });
    expect(state.set('big', { v: 'x'.repeat(50) })).toBe(false);
    now = 101;
    expect(state.get('a')).toBeUndefined();
  });

  it('can be switched off', async () => {
    const mock = new MockSandbox({ products: productsOf(SPECS), state: false });
    const created = await mock.handle({
      productId: 'parcels',
      method: 'POST',
      path: '/parcels',
      body: { recipient: 'Grace Hopper', weightGrams: 300 },
      stateKey: 'u',
    });
    expect((created.body as any).id).toBe('PX-1001');
  });
});

describe('prepared operations', () => {
  it('are cached per spec hash, least recently used out', async () => {
    const mock = new MockSandbox({
      products: productsOf(SPECS),
      maxCachedSpecs: 1,
    });
    const first = await mock.operationsFor(SPECS.parcels);
    expect(await mock.operationsFor(SPECS.parcels)).toBe(first);
    await mock.operationsFor(SPECS.pets);
    expect(await mock.operationsFor(SPECS.parcels)).not.toBe(first);
  });

  it('never follow external $refs nor run callbacks', async () => {
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end('{"type":"string"}');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const spec = {
        openapi: '3.0.3',
        info: { title: 'hostile', version: '1' },
        paths: {
          '/subscriptions': {
            post: {
              requestBody: {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: {
                        callbackUrl: { type: 'string' },
                        remote: { $ref: `${origin}/schema.json` },
                        local: { $ref: '/etc/passwd' },
                        file: { $ref: 'file:///etc/hostname#/x' },
                      },
                    },
                  },
                },
              },
              responses: {
                '201': {
                  description: 'ok',
                  content: { 'application/json': { example: { id: 1 } } },
                },
              },
              callbacks: {
                onEvent: {
                  '{$request.body#/callbackUrl}': {
                    post: { responses: { '200': { description: 'ok' } } },
                  },
                },
              },
            },
          },
        },
      };
      // Unsanitised, Prism itself would fetch the external reference.
      await getHttpOperationsFromSpec(structuredClone(spec) as any).catch(
        () => undefined,
      );
      expect(hits).toEqual(['/schema.json']);
      hits.length = 0;

      const mock = new MockSandbox({
        products: productsOf({ hostile: JSON.stringify(spec) }),
      });
      const response = await mock.handle({
        productId: 'hostile',
        method: 'POST',
        path: '/subscriptions',
        body: { callbackUrl: `${origin}/callback` },
      });
      expect(response).toMatchObject({ statusCode: 201, body: { id: 1 } });
      await new Promise(r => setTimeout(r, 100));
      expect(hits).toEqual([]);
    } finally {
      await new Promise(r => server.close(r));
    }
  });

  it('bound what a schema may ask the generator for', async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'huge', version: '1' },
      paths: {
        '/things': {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      code: { type: 'string', pattern: '^(a+)+$' },
                    },
                  },
                },
              },
            },
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: {
                      type: 'array',
                      minItems: 1_000_000_000,
                      items: { type: 'string', minLength: 1_000_000_000 },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const mock = new MockSandbox({
      products: productsOf({ huge: JSON.stringify(spec) }),
    });
    const started = Date.now();
    const response = await mock.handle({
      productId: 'huge',
      method: 'POST',
      path: '/things',
      // Exponential for ^(a+)+$ if the pattern were kept.
      body: { code: `${'a'.repeat(40)}!` },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(response.statusCode).toBe(200);
    const items = response.body as string[];
    expect(items.length).toBeLessThanOrEqual(20);
    expect(items[0].length).toBeLessThanOrEqual(1000);
  });

  it('detect risky patterns and report what they changed', () => {
    expect(isRiskyPattern('^(a+)+$')).toBe(true);
    expect(isRiskyPattern('^(\\w*\\s?)*$')).toBe(true);
    expect(isRiskyPattern('^(x{2,})+$')).toBe(true);
    expect(isRiskyPattern('^a{10000}$')).toBe(true);
    expect(isRiskyPattern('^[A-Z]{2}-\\d{4}$')).toBe(false);
    expect(isRiskyPattern('^(ab|cd)-[0-9]+$')).toBe(false);
    const { changes } = sanitizeSpec({
      openapi: '3.0.0',
      paths: {},
      components: {
        schemas: { A: { $ref: 'https://evil.example/a.json' } },
      },
    });
    expect(changes).toEqual([
      '#/components/schemas/A: external $ref https://evil.example/a.json not followed',
    ]);
  });
});

describe('parsePrefer', () => {
  it('reads code, example and dynamic and ignores the rest', () => {
    expect(
      parsePrefer('code=404; example="not found", dynamic=true, respond-async'),
    ).toEqual({ code: 404, exampleKey: 'not found', dynamic: true });
    expect(parsePrefer(undefined)).toEqual({});
    expect(() => parsePrefer('dynamic=yes')).toThrow(
      "Prefer: dynamic must be true or false, not 'yes'",
    );
    expect(() => parsePrefer('code=99')).toThrow(InputError);
  });
});

// Smoke test over the example products shipped in examples/.
const examplesDir =
  process.env.PORTICO_EXAMPLES_DIR ??
  path.resolve(__dirname, '../../../../examples');
const exampleSpecs = fs.existsSync(examplesDir)
  ? fs
      .readdirSync(examplesDir)
      .map(dir => path.join(examplesDir, dir, 'openapi.yaml'))
      .filter(file => fs.existsSync(file))
  : [];

describe('example specs smoke test', () => {
  it('finds the example specs', () => {
    expect(exampleSpecs.length).toBeGreaterThanOrEqual(14);
  });
  const specs = Object.fromEntries(
    exampleSpecs.map(file => [
      path.basename(path.dirname(file)),
      fs.readFileSync(file, 'utf8'),
    ]),
  );
  const mock = new MockSandbox({ products: productsOf(specs) });
  const cases = Object.entries(specs).flatMap(([id, text]) =>
    extractOperations(parseSpecText(text))
      .filter(op => op.method === 'GET')
      .map(op => [id, op.operationId] as [string, string]),
  );
  it.each(cases)(
    '%s %s answers 2xx with a JSON body',
    async (productId, operationId) => {
      const sample = await mock.sampleRequest(productId, operationId);
      const response = await mock.handle({
        productId,
        method: 'GET',
        path: sample.path,
        query: sample.query,
        headers: sample.headers,
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(200);
      expect(response.statusCode).toBeLessThan(300);
      expect(response.headers['content-type']).toMatch(/json/);
      expect(typeof response.body).toBe('object');
      expect(response.body).not.toBeNull();
    },
  );
});
