import { ResponseError } from '@backstage/errors';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  makeProduct,
  makeProductDetail,
  makeSpecVersions,
} from '../__testUtils__/fixtures';
import { MarketplaceClient } from './MarketplaceClient';

const base = 'http://example.com/api/api-marketplace';
const server = setupServer();
registerMswTestHooks(server);

function createClient() {
  return new MarketplaceClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  });
}

const notFound = (message: string) =>
  HttpResponse.json(
    {
      error: { name: 'NotFoundError', message },
      response: { statusCode: 404 },
    },
    { status: 404 },
  );

describe('MarketplaceClient', () => {
  it('lists products with only the filters that are set, sending the user token', async () => {
    let seen: { search: string; auth: string | null } | undefined;
    server.use(
      http.get(`${base}/v1/products`, ({ request }) => {
        seen = {
          search: new URL(request.url).search,
          auth: request.headers.get('authorization'),
        };
        return HttpResponse.json({ items: [makeProduct()] });
      }),
    );

    const items = await createClient().listProducts({
      category: 'logistics',
      status: '',
      tag: 'parcels',
      q: ' track ',
    });

    expect(items.map(p => p.id)).toEqual(['tracking']);
    expect(seen).toEqual({
      search: '?category=logistics&tag=parcels&q=track',
      auth: 'Bearer user-token',
    });
  });

  it('fetches one product, escaping its id', async () => {
    let path: string | undefined;
    server.use(
      http.get(`${base}/v1/products/:id`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json(makeProductDetail());
      }),
    );
    const product = await createClient().getProduct('a/b');
    expect(path).toBe('/api/api-marketplace/v1/products/a%2Fb');
    expect(product.operations).toHaveLength(2);
  });

  it('maps a 404 to a ResponseError carrying the server error', async () => {
    server.use(
      http.get(`${base}/v1/products/:id`, () =>
        notFound("No product with id 'nope'"),
      ),
    );
    const error = await createClient()
      .getProduct('nope')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.name).toBe('NotFoundError');
    expect(error.cause.message).toBe("No product with id 'nope'");
  });

  it('maps a non-JSON failure to a ResponseError too', async () => {
    server.use(
      http.get(
        `${base}/v1/products`,
        () => new HttpResponse('upstream down', { status: 502 }),
      ),
    );
    await expect(createClient().listProducts()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 502,
    });
  });

  it('lists the spec versions of a product', async () => {
    server.use(
      http.get(`${base}/v1/products/tracking/changes`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer user-token'
          ? HttpResponse.json({ items: makeSpecVersions() })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    const versions = await createClient().listChanges('tracking');
    expect(versions.map(v => v.version)).toEqual(['2.0.0', '1.0.0']);
  });

  it('loads the code snippets of one operation', async () => {
    server.use(
      http.get(
        `${base}/v1/products/tracking/snippets/:operationId`,
        ({ params }) =>
          HttpResponse.json({
            operationId: params.operationId,
            snippets: [{ language: 'curl', label: 'cURL', code: 'curl x' }],
          }),
      ),
    );
    const result = await createClient().getSnippets('tracking', 'get shipment');
    expect(result).toEqual({
      operationId: 'get shipment',
      snippets: [{ language: 'curl', label: 'cURL', code: 'curl x' }],
    });
  });

  it('reports a missing operation as a ResponseError', async () => {
    server.use(
      http.get(`${base}/v1/products/tracking/snippets/nope`, () =>
        notFound("No operation 'nope'"),
      ),
    );
    await expect(
      createClient().getSnippets('tracking', 'nope'),
    ).rejects.toMatchObject({
      statusCode: 404,
      cause: { name: 'NotFoundError' },
    });
  });

  it('downloads the Postman collection with the user token and a filename', async () => {
    server.use(
      http.get(`${base}/v1/products/tracking/postman`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer user-token'
          ? HttpResponse.json({ info: { name: 'Tracking' }, item: [] })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    const download = await createClient().downloadArtifact(
      'tracking',
      'postman',
    );
    expect(download.filename).toBe('tracking.postman_collection.json');
    expect(JSON.parse(await download.blob.text())).toEqual({
      info: { name: 'Tracking' },
      item: [],
    });
  });

  it('downloads the TypeScript client source', async () => {
    server.use(
      http.get(`${base}/v1/products/tracking/sdk/typescript`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer user-token'
          ? HttpResponse.text('export function createClient() {}')
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    const download = await createClient().downloadArtifact(
      'tracking',
      'typescript',
    );
    expect(download.filename).toBe('tracking-client.ts');
    expect(await download.blob.text()).toBe(
      'export function createClient() {}',
    );
  });

  it('fails a download the server refuses', async () => {
    server.use(
      http.get(`${base}/v1/products/nope/sdk/typescript`, () =>
        notFound("No product with id 'nope'"),
      ),
    );
    await expect(
      createClient().downloadArtifact('nope', 'typescript'),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});
