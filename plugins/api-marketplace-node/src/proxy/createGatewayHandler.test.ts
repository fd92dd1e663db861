import { createHash } from 'node:crypto';
import { createConnection } from 'node:net';
import { Readable } from 'node:stream';
import { Client, Dispatcher } from 'undici';
import { InMemoryRateLimiter } from '../limit/InMemoryRateLimiter';
import { InMemoryUsageStore } from '../meter/InMemoryUsageStore';
import { UsageMeter } from '../meter/UsageMeter';
import { makeKey } from '../testUtils/fixtures';
import { InMemoryKeyLookup } from '../verify/InMemoryKeyLookup';
import { KeyVerifier } from '../verify/KeyVerifier';
import type { VerifiableKey } from '../verify/types';
import {
  GatewayHandlerOptions,
  createGatewayHandler,
} from './createGatewayHandler';
import { verifyGatewaySignature } from './signature';
import {
  SeenRequest,
  echoUpstream,
  listen,
  rawRequest,
} from '../testUtils/testServers';

const SECRET = 'test-signing-secret';
const NOW = Math.floor(Date.now() / 60_000) * 60_000;

describe('createGatewayHandler', () => {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function gateway(
    keys: VerifiableKey[],
    products: Record<string, { baseUrl: string; sandboxUrl?: string }>,
    options: Partial<GatewayHandlerOptions> = {},
  ) {
    const usage = new InMemoryUsageStore();
    const meter = new UsageMeter({ sink: usage, autoFlush: false });
    const handler = createGatewayHandler({
      verifier: new KeyVerifier({ lookup: new InMemoryKeyLookup(keys) }),
      limiter: new InMemoryRateLimiter({ usage }),
      meter,
      products: { resolve: id => products[id] },
      signingSecret: SECRET,
      timeouts: { headersMs: 300, bodyMs: 300, connectMs: 300 },
      now: () => NOW,
      ...options,
    });
    const server = await listen(handler);
    const client = new Client(server.url);
    cleanup.push(
      () => handler.close(),
      () => server.close(),
      () => client.close(),
    );
    const call = async (
      path: string,
      init: Partial<Dispatcher.RequestOptions> = {},
    ) => {
      const response = await client.request({ path, method: 'GET', ...init });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    };
    const buckets = async () => {
      await meter.flush();
      const out = [];
      for await (const bucket of usage.readClosedBuckets(NOW + 60_000))
        out.push(bucket);
      return out;
    };
    return { call, buckets, url: server.url };
  }

  async function upstream() {
    const echo = await echoUpstream();
    cleanup.push(() => echo.close());
    return echo;
  }

  it('proxies to the product base path with partner headers, signature and rate limit headers', async () => {
    const echo = await upstream();
    const { key, record } = makeKey();
    const { call } = await gateway([record], {
      tracking: { baseUrl: `${echo.url}/api/` },
    });

    const response = await call('/tracking/v1/shipments/42?expand=events', {
      headers: {
        authorization: `Bearer ${key}`,
        'x-api-key': key,
        'x-portico-partner': 'spoofed',
        'x-portico-plan': 'enterprise',
        'x-custom': 'kept',
      },
    });
    expect(response.status).toBe(200);
    const seen = JSON.parse(response.text) as SeenRequest;
    expect(seen.url).toBe('/api/v1/shipments/42?expand=events');
    expect(seen.headers).toMatchObject({
      'x-portico-partner': 'partner-a',
      'x-portico-key-id': record.id,
      'x-portico-plan': 'starter',
      'x-custom': 'kept',
      'x-forwarded-for': '127.0.0.1',
      host: new URL(echo.url).host,
    });
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(key);
    expect(seen.headers['x-portico-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      verifyGatewaySignature({
        secret: SECRET,
        headers: seen.headers,
        method: seen.method,
        path: seen.url,
      }),
    ).toMatchObject({ ok: true, partnerId: 'partner-a', plan: 'starter' });

    expect(response.headers).toMatchObject({
      'ratelimit-limit': '1000',
      'ratelimit-remaining': '999',
      'ratelimit-reset': '1',
      'x-upstream': 'yes',
      'x-portico-request-id': seen.headers['x-portico-request-id'],
    });
  });

  it("keeps repeated headers as separate lines and replaces an upstream's own rate limit and request id headers", async () => {
    const own = await listen((req, res) => {
      res.writeHead(200, [
        'set-cookie',
        'a=1',
        'set-cookie',
        'b=2',
        'ratelimit-limit',
        '5',
        'x-portico-request-id',
        'upstream-made',
        'x-seen-cookie',
        String(req.headers.cookie),
      ]);
      res.end('ok');
    });
    cleanup.push(() => own.close());
    const { key, record } = makeKey();
    const { call } = await gateway([record], {
      tracking: { baseUrl: own.url },
    });

    const response = await call('/tracking/x', {
      headers: ['x-api-key', key, 'cookie', 'c=3', 'cookie', 'd=4'],
    });
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.headers['ratelimit-limit']).toBe('1000');
    expect(response.headers['x-portico-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-seen-cookie']).toBe('c=3; d=4');
  });

  it('drops hop-by-hop headers both ways, including those named in Connection', async () => {
    const echo = await upstream();
    const { key, record } = makeKey();
    const { url } = await gateway([record], {
      tracking: { baseUrl: echo.url },
    });
    const response = await rawRequest(
      url,
      `GET /tracking/x HTTP/1.1\nHost: gw\nX-API-Key: ${key}\nConnection: close, X-Private\nX-Private: hop\nTE: trailers\nProxy-Authorization: Basic abc\nX-Kept: yes\n\n`,
    );
    expect(response.status).toBe(200);
    const seen = JSON.parse(response.body) as SeenRequest;
    expect(seen.headers['x-private']).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    expect(seen.headers.te).toBeUndefined();
    expect(seen.headers['x-kept']).toBe('yes');
    // The upstream's keep-alive hint is not relayed.
    expect(response.headers['keep-alive']).toBeUndefined();
    expect(response.headers['x-upstream']).toBe('yes');
  });

  it('streams request and response bodies', async () => {
    const echo = await upstream();
    const { key, record } = makeKey();
    const { call } = await gateway([record], {
      tracking: { baseUrl: echo.url },
    });
    const chunk = Buffer.alloc(64 * 1024, 7);
    const expectedSha = createHash('sha256');
    for (let i = 0; i < 32; i++) expectedSha.update(chunk);

    const upload = await call('/tracking/upload', {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/octet-stream' },
      body: Readable.from(Array.from({ length: 32 }, () => chunk)),
    });
    expect(upload.status).toBe(200);
    expect(JSON.parse(upload.text)).toMatchObject({
      method: 'POST',
      bodyLength: 32 * 64 * 1024,
      bodySha256: expectedSha.digest('hex'),
    });

    const download = await call('/tracking/stream/2048', {
      headers: { 'x-api-key': key },
    });
    expect(download.status).toBe(200);
    expect(download.text.length).toBe(2048 * 1024);
  });

  it('sends sandbox keys to the sandbox URL and refuses them without one', async () => {
    const production = await upstream();
    const sandbox = await upstream();
    const { key, record } = makeKey({}, 'sandbox');
    const { call } = await gateway([record], {
      tracking: { baseUrl: production.url, sandboxUrl: `${sandbox.url}/mock` },
    });
    expect(
      (await call('/tracking/x', { headers: { 'x-api-key': key } })).status,
    ).toBe(200);
    expect(sandbox.seen.map(r => r.url)).toEqual(['/mock/x']);
    expect(production.seen).toHaveLength(0);

    const other = await gateway([record], {
      tracking: { baseUrl: production.url },
    });
    const refused = await other.call('/tracking/x', {
      headers: { 'x-api-key': key },
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).code).toBe('wrong_environment');
  });

  describe('refusals', () => {
    const past = new Date(Date.now() - 1000).toISOString();
    it.each<
      [
        string,
        Partial<VerifiableKey>,
        Record<string, string> | undefined,
        number,
        string,
      ]
    >([
      ['no key', {}, {}, 401, 'missing_key'],
      [
        'a malformed key',
        {},
        { 'x-api-key': 'sk_live_nope' },
        401,
        'invalid_key',
      ],
      ['an expired key', { expiresAt: past }, undefined, 401, 'expired_key'],
      ['a revoked key', { status: 'revoked' }, undefined, 401, 'revoked_key'],
      [
        'a rotated key past grace',
        { status: 'rotating', graceEndsAt: past },
        undefined,
        401,
        'revoked_key',
      ],
      [
        'a key of another product',
        { productIds: ['routing'] },
        undefined,
        403,
        'not_scoped',
      ],
      [
        'a key without an active plan',
        { plans: {} },
        undefined,
        403,
        'not_scoped',
      ],
      [
        'a caller outside the allow list',
        { allowedIps: ['10.0.0.0/8'] },
        undefined,
        403,
        'ip_not_allowed',
      ],
      [
        'a suspended partner',
        { partnerStatus: 'suspended' },
        undefined,
        403,
        'partner_suspended',
      ],
    ])('refuses %s', async (_name, overrides, headers, status, code) => {
      const echo = await upstream();
      const { key, record } = makeKey(overrides);
      const { call } = await gateway([record], {
        tracking: { baseUrl: echo.url },
      });
      const response = await call('/tracking/x', {
        headers: headers ?? { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json');
      const problem = JSON.parse(response.text);
      expect(problem).toMatchObject({
        type: `https://portico.dev/problems/${code}`,
        status,
        code,
      });
      expect(problem.title).toEqual(expect.any(String));
      expect(problem.detail).toEqual(expect.any(String));
      expect(response.text).not.toContain(key);
      expect(response.headers['www-authenticate']).toBe(
        status === 401 ? 'Bearer realm="portico"' : undefined,
      );
      expect(echo.seen).toHaveLength(0);
    });

    it('refuses keys of the other environment on a production-only listener', async () => {
      const echo = await upstream();
      const { key, record } = makeKey({}, 'sandbox');
      const { call } = await gateway(
        [record],
        { tracking: { baseUrl: echo.url, sandboxUrl: echo.url } },
        { environment: 'production' },
      );
      const response = await call('/tracking/x', {
        headers: { 'x-api-key': key },
      });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text).code).toBe('wrong_environment');
    });

    it('answers unknown_product for a scoped product nobody publishes', async () => {
      const { key, record } = makeKey();
      const { call } = await gateway([record], {});
      const response = await call('/tracking/x', {
        headers: { 'x-api-key': key },
      });
      expect(response.status).toBe(404);
      expect(JSON.parse(response.text).code).toBe('unknown_product');
    });

    it.each([
      '/tracking/../admin',
      '/tracking/%2e%2e/admin',
      '/tracking/%2E%2E/%2e%2e/etc/passwd',
      '/tracking//evil.example/x',
      '/tracking/a\\..\\admin',
      '/tracking/..;/admin',
      '/tracking/%2fadmin',
      '//evil.example/tracking/x',
    ])('refuses the path-escape attempt %j with invalid_path', async path => {
      const echo = await upstream();
      const { key, record } = makeKey();
      const { call } = await gateway([record], {
        tracking: { baseUrl: `${echo.url}/api` },
      });
      const response = await call(path, { headers: { 'x-api-key': key } });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text).code).toBe('invalid_path');
      expect(echo.seen).toHaveLength(0);
    });
  });

  it('answers 429 rate_limited with Retry-After and the rate limit headers', async () => {
    const echo = await upstream();
    const { key, record } = makeKey({
      plans: { tracking: { plan: 'starter', ratePerSecond: 2 } },
    });
    const { call } = await gateway([record], {
      tracking: { baseUrl: echo.url },
    });
    const headers = { 'x-api-key': key };
    expect(
      (await call('/tracking/a', { headers })).headers['ratelimit-remaining'],
    ).toBe('1');
    expect(
      (await call('/tracking/a', { headers })).headers['ratelimit-remaining'],
    ).toBe('0');
    const limited = await call('/tracking/a', { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({
      'retry-after': '1',
      'ratelimit-limit': '2',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '1',
      'content-type': 'application/problem+json',
    });
    expect(JSON.parse(limited.text).code).toBe('rate_limited');
    expect(echo.seen).toHaveLength(2);
  });

  it('answers 429 quota_exceeded once a free plan used its month', async () => {
    const echo = await upstream();
    const { key, record } = makeKey({
      plans: {
        tracking: { plan: 'free', ratePerSecond: 100, hardMonthlyQuota: 2 },
      },
    });
    const { call } = await gateway([record], {
      tracking: { baseUrl: echo.url },
    });
    const headers = { 'x-api-key': key };
    const first = await call('/tracking/a', { headers });
    expect(first.headers).toMatchObject({
      'ratelimit-limit': '2',
      'ratelimit-remaining': '1',
    });
    await call('/tracking/a', { headers });
    const refused = await call('/tracking/a', { headers });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text).code).toBe('quota_exceeded');
    // The quota resets at the start of next month (UTC).
    const now = new Date(NOW);
    const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    const untilReset = String(Math.ceil((monthEnd - NOW) / 1000));
    expect(refused.headers).toMatchObject({
      'ratelimit-limit': '2',
      'ratelimit-remaining': '0',
      'ratelimit-reset': untilReset,
      'retry-after': untilReset,
      'content-type': 'application/problem+json',
    });
    expect(refused.headers['x-portico-request-id']).toBe(
      JSON.parse(refused.text).requestId,
    );
  });

  it('mounted under a route that names the product, takes the product from the route', async () => {
    const echo = await upstream();
    const { key, record } = makeKey();
    const handler = createGatewayHandler({
      verifier: new KeyVerifier({ lookup: new InMemoryKeyLookup([record]) }),
      limiter: new InMemoryRateLimiter(),
      products: {
        resolve: id =>
          id === 'tracking' ? { baseUrl: `${echo.url}/api` } : undefined,
      },
      signingSecret: SECRET,
    });
    // What express does for router.use('/gateway/:productId', handler):
    // the matched prefix leaves req.url, the decoded parameter lands in
    // req.params.
    const server = await listen((req, res) => {
      const match = /^\/gateway\/([^/?]+)(.*)$/.exec(req.url!);
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      Object.assign(req, {
        params: { productId: decodeURIComponent(match[1]) },
        url: match[2].startsWith('/') ? match[2] : `/${match[2]}`,
      });
      handler(req, res);
    });
    const client = new Client(server.url);
    cleanup.push(
      () => handler.close(),
      () => server.close(),
      () => client.close(),
    );
    const get = async (path: string) => {
      const response = await client.request({
        path,
        method: 'GET',
        headers: { 'x-api-key': key },
      });
      const text = await response.body.text();
      return { status: response.statusCode, text };
    };

    const ok = await get('/gateway/tracking/v1/shipments/42?x=1');
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.text) as SeenRequest).url).toBe(
      '/api/v1/shipments/42?x=1',
    );
    expect((await get('/gateway/routing/v1')).status).toBe(403); // not scoped
    for (const path of [
      '/gateway/tracking/../admin',
      '/gateway/tracking/%2e%2e/admin',
      '/gateway/..%2Fadmin/x',
      '/gateway/track%3Fing/x',
    ]) {
      const refused = await get(path);
      expect({ path, status: refused.status }).toEqual({ path, status: 400 });
    }
    expect(echo.seen).toHaveLength(1);
  });

  it('answers 502 when the upstream resets the connection or refuses it', async () => {
    const resetting = await listen(req => req.socket.destroy());
    cleanup.push(() => resetting.close());
    const closed = await listen(() => {});
    await closed.close();
    const { key, record } = makeKey({
      productIds: ['tracking', 'gone'],
      plans: {
        tracking: { plan: 'starter', ratePerSecond: 100 },
        gone: { plan: 'starter', ratePerSecond: 100 },
      },
    });
    const { call, buckets } = await gateway([record], {
      tracking: { baseUrl: resetting.url },
      gone: { baseUrl: closed.url },
    });
    for (const path of ['/tracking/x', '/gone/x']) {
      const response = await call(path, { headers: { 'x-api-key': key } });
      expect(response.status).toBe(502);
      expect(JSON.parse(response.text)).toMatchObject({
        code: 'upstream_unavailable',
        status: 502,
      });
      expect(response.headers['ratelimit-limit']).toBe('100');
    }
    const metered = await buckets();
    expect(
      metered.map(b => [b.productId, b.statusCounts['5xx'], b.billable]),
    ).toEqual(
      expect.arrayContaining([
        ['tracking', 1, 0],
        ['gone', 1, 0],
      ]),
    );
  });

  it('answers 504 when the upstream never answers', async () => {
    const silent = await listen(() => {});
    cleanup.push(() => silent.close());
    const { key, record } = makeKey();
    const { call, buckets } = await gateway([record], {
      tracking: { baseUrl: silent.url },
    });
    const response = await call('/tracking/x', {
      headers: { 'x-api-key': key },
    });
    expect(response.status).toBe(504);
    expect(JSON.parse(response.text).code).toBe('upstream_timeout');
    const [bucket] = await buckets();
    expect(bucket).toMatchObject({ billable: 0, statusCounts: { '5xx': 1 } });
  });

  it('cuts a response whose body stalls and meters it as not billable', async () => {
    const stalling = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    cleanup.push(() => stalling.close());
    const { key, record } = makeKey();
    const { call, buckets } = await gateway([record], {
      tracking: { baseUrl: stalling.url },
    });
    await expect(
      call('/tracking/x', { headers: { 'x-api-key': key } }),
    ).rejects.toThrow();
    const [bucket] = await buckets();
    expect(bucket).toMatchObject({
      billable: 0,
      statusCounts: { '2xx': 0, '5xx': 1 },
    });
  });

  it('does not forward a call whose partner left during verification', async () => {
    const echo = await upstream();
    const { key, record } = makeKey();
    let lookupStarted!: () => void;
    let release!: () => void;
    let metered!: () => void;
    const started = new Promise<void>(resolve => (lookupStarted = resolve));
    const gate = new Promise<void>(resolve => (release = resolve));
    const recorded = new Promise<void>(resolve => (metered = resolve));
    const usage = new InMemoryUsageStore();
    const meter = new UsageMeter({ sink: usage, autoFlush: false });
    const handler = createGatewayHandler({
      verifier: new KeyVerifier({
        lookup: {
          async findByKeyId() {
            lookupStarted();
            await gate;
            return record;
          },
        },
      }),
      limiter: new InMemoryRateLimiter({ usage }),
      meter: {
        record: call => {
          meter.record(call);
          metered();
        },
      },
      products: { resolve: () => ({ baseUrl: echo.url }) },
      signingSecret: SECRET,
      now: () => NOW,
    });
    const server = await listen(handler);
    cleanup.push(() => server.close());
    const serverSideClosed = new Promise(resolve =>
      server.server.once('connection', socket => socket.once('close', resolve)),
    );
    const socket = createConnection(
      Number(new URL(server.url).port),
      '127.0.0.1',
    );
    socket.write(
      `GET /tracking/x HTTP/1.1\r\nHost: gw\r\nX-API-Key: ${key}\r\n\r\n`,
    );
    await started;
    socket.destroy();
    await serverSideClosed;
    release();
    await recorded;

    expect(echo.seen).toHaveLength(0);
    await handler.close(); // would hang on a request stuck in the pool
    await meter.flush();
    const buckets = [];
    for await (const b of usage.readClosedBuckets(NOW + 60_000))
      buckets.push(b);
    // Admitted and abandoned: metered as 499, billable under the one rule.
    expect(buckets[0]).toMatchObject({
      statusCounts: { '4xx': 1 },
      billable: 1,
    });
  });

  it('meters upstream answers by status class under the billable rule', async () => {
    const echo = await upstream();
    const { key, record } = makeKey();
    const { call, buckets } = await gateway([record], {
      tracking: { baseUrl: echo.url },
    });
    for (const status of [200, 201, 304, 404, 500, 503]) {
      await call(`/tracking/status/${status}`, {
        headers: { 'x-api-key': key },
      });
    }
    const [bucket] = await buckets();
    expect(bucket).toMatchObject({
      partnerId: 'partner-a',
      productId: 'tracking',
      environment: 'production',
      minute: NOW,
      billable: 4,
      statusCounts: { '2xx': 2, '3xx': 1, '4xx': 1, '5xx': 2 },
    });
    expect(bucket.latency.count).toBe(6);
  });
});
