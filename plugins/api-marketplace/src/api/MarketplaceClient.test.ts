import { ResponseError } from '@backstage/errors';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  makeIssuedKey,
  makeKey,
  makePartner,
  makeProduct,
  makeProductDetail,
  makeSpecVersions,
  makeSubscription,
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

describe('MarketplaceClient partner self-service', () => {
  type Seen = { method: string; path: string; body?: unknown };

  /** Records every request and answers with the given response. */
  function record(
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    respond: () => Response,
  ) {
    const seen: Seen[] = [];
    server.use(
      http[method](`${base}${path}`, async ({ request }) => {
        const text = await request.text();
        seen.push({
          method: request.method,
          path: new URL(request.url).pathname.replace(
            '/api/api-marketplace',
            '',
          ),
          ...(text ? { body: JSON.parse(text) } : {}),
        });
        return respond();
      }),
    );
    return seen;
  }

  it('gets the signed-in user', async () => {
    record('get', '/v1/me', () =>
      HttpResponse.json({
        userRef: 'user:default/jane',
        isAdmin: false,
        invitations: [],
      }),
    );
    await expect(createClient().getMe()).resolves.toEqual({
      userRef: 'user:default/jane',
      isAdmin: false,
      invitations: [],
    });
  });

  it('creates a partner and accepts the terms', async () => {
    const created = record('post', '/v1/partners', () =>
      HttpResponse.json(makePartner(), { status: 201 }),
    );
    const terms = record('post', '/v1/partners/current/terms', () =>
      HttpResponse.json(makePartner({ termsAcceptedAt: '2024-05-02' })),
    );
    const client = createClient();
    await expect(
      client.createPartner({ name: 'Acme', billingEmail: 'b@acme.test' }),
    ).resolves.toMatchObject({ id: 'p-1' });
    await expect(client.acceptTerms()).resolves.toMatchObject({
      termsAcceptedAt: '2024-05-02',
    });
    expect(created).toEqual([
      {
        method: 'POST',
        path: '/v1/partners',
        body: { name: 'Acme', billingEmail: 'b@acme.test' },
      },
    ]);
    expect(terms).toHaveLength(1);
  });

  it('maps a 409 on partner creation to a ResponseError', async () => {
    server.use(
      http.post(`${base}/v1/partners`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message: 'Already a member' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await createClient()
      .createPartner({ name: 'Acme', billingEmail: 'b@acme.test' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error).toEqual({
      name: 'ConflictError',
      message: 'Already a member',
    });
  });

  it('manages members and invitations', async () => {
    record('get', '/v1/partners/current/members', () =>
      HttpResponse.json({
        items: [
          { userRef: 'user:default/jane', role: 'owner', createdAt: 'x' },
        ],
      }),
    );
    const removed = record(
      'delete',
      '/v1/partners/current/members/:ref',
      () => new HttpResponse(null, { status: 204 }),
    );
    record('get', '/v1/partners/current/invitations', () =>
      HttpResponse.json({ items: [] }),
    );
    const invited = record('post', '/v1/partners/current/invitations', () =>
      HttpResponse.json({ id: 'i-1', role: 'developer' }, { status: 201 }),
    );
    const revoked = record(
      'delete',
      '/v1/partners/current/invitations/:id',
      () => new HttpResponse(null, { status: 204 }),
    );
    const accepted = record(
      'post',
      '/v1/invitations/:id/accept',
      () => new HttpResponse(null, { status: 204 }),
    );
    const client = createClient();

    expect(await client.listMembers()).toHaveLength(1);
    await client.removeMember('user:default/bob');
    expect(await client.listInvitations()).toEqual([]);
    await client.createInvitation({
      email: 'bob@acme.test',
      role: 'developer',
    });
    await client.revokeInvitation('i-1');
    await client.acceptInvitation('i-2');

    expect(removed[0].path).toBe(
      '/v1/partners/current/members/user%3Adefault%2Fbob',
    );
    expect(invited[0].body).toEqual({
      email: 'bob@acme.test',
      role: 'developer',
    });
    expect(revoked[0]).toMatchObject({ method: 'DELETE' });
    expect(accepted[0].path).toBe('/v1/invitations/i-2/accept');
  });

  it('subscribes, changes plan and cancels', async () => {
    record('get', '/v1/subscriptions', () =>
      HttpResponse.json({ items: [makeSubscription()] }),
    );
    const subscribed = record('post', '/v1/subscriptions', () =>
      HttpResponse.json(makeSubscription({ status: 'pending_payment' }), {
        status: 201,
      }),
    );
    const patched = record('patch', '/v1/subscriptions/:id', () =>
      HttpResponse.json(makeSubscription({ plan: 'starter' })),
    );
    const canceled = record(
      'delete',
      '/v1/subscriptions/:id',
      () => new HttpResponse(null, { status: 204 }),
    );
    const client = createClient();

    expect(await client.listSubscriptions()).toHaveLength(1);
    await expect(
      client.subscribe({ productId: 'tracking', plan: 'starter' }),
    ).resolves.toMatchObject({ status: 'pending_payment' });
    await expect(client.changePlan('s-1', 'starter')).resolves.toMatchObject({
      plan: 'starter',
    });
    await client.cancelSubscription('s-1');

    expect(subscribed[0].body).toEqual({
      productId: 'tracking',
      plan: 'starter',
    });
    expect(patched[0]).toEqual({
      method: 'PATCH',
      path: '/v1/subscriptions/s-1',
      body: { plan: 'starter' },
    });
    expect(canceled[0].path).toBe('/v1/subscriptions/s-1');
  });

  it('lists, creates, rotates and revokes keys', async () => {
    record('get', '/v1/keys', () => HttpResponse.json({ items: [makeKey()] }));
    const created = record('post', '/v1/keys', () =>
      HttpResponse.json(makeIssuedKey(), { status: 201 }),
    );
    const rotated = record('post', '/v1/keys/:id/rotate', () =>
      HttpResponse.json(
        makeIssuedKey({ id: 'k-2', key: 'new-secret', replaces: 'k-1' }),
      ),
    );
    const revoked = record(
      'delete',
      '/v1/keys/:id',
      () => new HttpResponse(null, { status: 204 }),
    );
    const client = createClient();

    expect(await client.listKeys()).toEqual([makeKey()]);
    await expect(
      client.createKey({
        name: 'CI',
        productIds: ['tracking'],
        environment: 'sandbox',
      }),
    ).resolves.toMatchObject({ key: 'pk_sbx_ab12_secret' });
    await expect(
      client.rotateKey('k-1', { gracePeriodHours: 12 }),
    ).resolves.toMatchObject({ key: 'new-secret', replaces: 'k-1' });
    await expect(client.revokeKey('k-2')).resolves.toBeUndefined();

    expect(created[0].body).toEqual({
      name: 'CI',
      productIds: ['tracking'],
      environment: 'sandbox',
    });
    expect(rotated[0]).toEqual({
      method: 'POST',
      path: '/v1/keys/k-1/rotate',
      body: { gracePeriodHours: 12 },
    });
    expect(revoked[0]).toEqual({ method: 'DELETE', path: '/v1/keys/k-2' });
  });

  it('maps a 403 on revoke to a ResponseError with the server message', async () => {
    server.use(
      http.delete(`${base}/v1/keys/:id`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Billing cannot' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(createClient().revokeKey('k-1')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      body: { error: { name: 'NotAllowedError', message: 'Billing cannot' } },
    });
  });

  it('lists the audit log', async () => {
    record('get', '/v1/audit', () =>
      HttpResponse.json({
        items: [
          {
            id: 1,
            actorRef: 'user:default/jane',
            action: 'key.create',
            targetType: 'key',
            targetId: 'k-1',
            details: {},
            createdAt: 'x',
          },
        ],
      }),
    );
    const events = await createClient().listAuditEvents();
    expect(events.map(e => e.action)).toEqual(['key.create']);
  });

  it('asks for usage with only the filters that are set', async () => {
    let search: string | undefined;
    server.use(
      http.get(`${base}/v1/usage`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json({
          partnerId: 'p-1',
          from: '2024-05-01T00:00:00.000Z',
          to: '2024-05-02T00:00:00.000Z',
          granularity: 'hour',
          items: [],
          totals: [],
          live: true,
        });
      }),
    );
    const report = await createClient().getUsage({
      from: '2024-05-01T00:00:00.000Z',
      to: '2024-05-02T00:00:00.000Z',
      granularity: 'hour',
      productId: '',
    });
    expect(report.live).toBe(true);
    expect(search).toBe(
      '?from=2024-05-01T00%3A00%3A00.000Z&to=2024-05-02T00%3A00%3A00.000Z&granularity=hour',
    );
  });

  it('posts a sandbox call and keeps the stable code of a refusal', async () => {
    let sent: unknown;
    server.use(
      http.post(`${base}/v1/sandbox/try`, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'Use a sandbox key',
              code: 'live_key_refused',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        );
      }),
    );
    const request = {
      productId: 'tracking',
      operationId: 'getShipment',
      pathParams: { id: 'PX-1' },
      keyId: 'k-1',
    };
    await expect(createClient().trySandbox(request)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: { code: 'live_key_refused', message: 'Use a sandbox key' },
    });
    expect(sent).toEqual(request);
  });
});
