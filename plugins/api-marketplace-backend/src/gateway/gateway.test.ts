import { randomUUID } from 'node:crypto';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { verifyGatewaySignature } from '@portico/plugin-api-marketplace-node';
import request from 'supertest';
import { apiEntity, marketplaceBlock } from '../__fixtures__/entities';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  ADMIN,
  BASE,
  onboard,
  sleep,
  startEchoServer,
  startMarketplace,
} from '../__testUtils__/startMarketplace';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const redisUrl =
  process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??
  'redis://127.0.0.1:6379';
const SECRET = 'test-signing-secret';
const SHIPMENT = '/shipments/6f1c2a3e-8d7b-4a9e-9c1d-2b3a4c5d6e7f';

let echo: Awaited<ReturnType<typeof startEchoServer>>;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(() => echo.close());

function entities() {
  return [
    apiEntity('tracking', marketplaceBlock),
    apiEntity('routing', { ...marketplaceBlock, id: 'routing' }),
    apiEntity('echo', {
      ...marketplaceBlock,
      id: 'echo',
      baseUrl: `${echo.url}/live`,
      sandboxUrl: `${echo.url}/sandbox`,
      pricing: {
        ...marketplaceBlock.pricing,
        free: { monthlyQuota: 3, ratePerSecond: 50 },
      },
    }),
  ];
}

function expectProblem(res: request.Response, status: number, code: string) {
  expect({
    status: res.status,
    contentType: res.headers['content-type'],
    type: res.body.type,
    code: res.body.code,
  }).toEqual({
    status,
    contentType: 'application/problem+json',
    type: `https://portico.dev/problems/${code}`,
    code,
  });
  // Never an echo of the key in a refusal.
  expect(JSON.stringify(res.body)).not.toMatch(/sk_(test|live)_/);
}

describe.each(databases.eachSupportedId())(
  'the gateway mounted in the backend on %s',
  databaseId => {
    it('takes a sandbox key from onboarding to the mock, refuses every bad call with a stable problem, and shows usage within seconds', async () => {
      const knex = await databases.init(databaseId);
      const { server, as } = await startMarketplace({
        knex,
        entities: entities(),
        config: { apiMarketplace: { gateway: { signingSecret: SECRET } } },
      });
      const alice = as('user:default/alice');
      const partnerId = await onboard(alice, 'Acme Freight', [
        'tracking',
        'routing',
        'echo',
      ]);
      const newKey = async (body: object) => {
        const res = await alice.post('/v1/keys', {
          name: 'k',
          environment: 'sandbox',
          productIds: ['tracking'],
          ...body,
        });
        expect(res.status).toBe(201);
        return res.body as { id: string; key: string };
      };
      let trackingCalls = 0;
      const call = async (
        key: string | undefined,
        path = `/tracking${SHIPMENT}`,
        header: 'authorization' | 'x-api-key' = 'authorization',
      ) => {
        const req = request(server).get(`${BASE}/gateway${path}`);
        if (key) {
          req.set(header, header === 'authorization' ? `Bearer ${key}` : key);
        }
        const res = await req;
        // Everything that got past the gateway to the mock is metered.
        const refused = String(res.body?.type).startsWith(
          'https://portico.dev/problems/',
        );
        if (path.startsWith('/tracking') && !refused) trackingCalls++;
        return res;
      };

      // The first call: Bearer, then X-API-Key, answered by the built-in mock.
      const first = await newKey({ name: 'first key' });
      const ok = await call(first.key);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({
        id: '6f1c2a3e-8d7b-4a9e-9c1d-2b3a4c5d6e7f',
        status: 'in_transit',
      });
      expect(ok.headers).toMatchObject({
        'ratelimit-limit': '5',
        'ratelimit-remaining': expect.stringMatching(/^\d+$/),
        'ratelimit-reset': expect.stringMatching(/^\d+$/),
        'x-portico-request-id': expect.any(String),
      });
      expect((await call(first.key, undefined, 'x-api-key')).status).toBe(200);
      const created = await request(server)
        .post(`${BASE}/gateway/tracking/shipments`)
        .set('x-api-key', first.key)
        .send({ status: 'created' });
      expect(created.status).toBe(201);
      trackingCalls++;
      // The mock validates against the spec, through the gateway.
      const invalid = await call(first.key, '/tracking/shipments/not-a-uuid');
      expect(invalid.status).toBe(400);
      expect(invalid.headers['x-portico-sandbox']).toBe('validation');

      // Refusals, each with its stable problem type.
      expectProblem(await call(undefined), 401, 'missing_key');
      const typo = `${first.key.slice(0, -1)}${
        first.key.endsWith('A') ? 'B' : 'A'
      }`;
      expectProblem(await call(typo), 401, 'invalid_key');
      expectProblem(await call('Bearer'), 401, 'invalid_key');
      expectProblem(
        await call(first.key, `/routing${SHIPMENT}`),
        403,
        'not_scoped',
      );
      expectProblem(
        await call(first.key, '/tracking/%2e%2e/routing/x'),
        400,
        'invalid_path',
      );
      const elsewhere = await newKey({ allowedIps: ['203.0.113.0/24'] });
      expectProblem(await call(elsewhere.key), 403, 'ip_not_allowed');
      const local = await newKey({ allowedIps: ['127.0.0.1', '::1'] });
      expect((await call(local.key)).status).toBe(200);

      const shortLived = await newKey({
        expiresAt: new Date(Date.now() + 3000).toISOString(),
      });
      expect((await call(shortLived.key)).status).toBe(200);
      await sleep(3100);
      expectProblem(await call(shortLived.key), 401, 'expired_key');

      // Rotation: with a grace period the old key keeps working; without, it stops at once.
      const graced = await alice.post(`/v1/keys/${first.id}/rotate`, {
        gracePeriodHours: 24,
      });
      expect((await call(first.key)).status).toBe(200);
      expect((await call(graced.body.key)).status).toBe(200);
      const rotated = await alice.post(`/v1/keys/${graced.body.id}/rotate`, {
        gracePeriodHours: 0,
      });
      expectProblem(await call(graced.body.key), 401, 'revoked_key');
      expect((await call(rotated.body.key)).status).toBe(200);

      // Revocation: refused on the very next call.
      expect((await alice.delete(`/v1/keys/${rotated.body.id}`)).status).toBe(
        204,
      );
      expectProblem(await call(rotated.body.key), 401, 'revoked_key');

      // The free quota of echo is 3 calls a month; the 4th is refused.
      const echoKey = await newKey({ productIds: ['echo'] });
      echo.received.length = 0;
      for (let i = 0; i < 3; i++) {
        const res = await call(echoKey.key, `/echo/parcels/${i}?x=1`);
        expect([res.status, res.body]).toEqual([
          200,
          { echo: `/sandbox/parcels/${i}?x=1` },
        ]);
      }
      const over = await call(echoKey.key, '/echo/parcels/4');
      expectProblem(over, 429, 'quota_exceeded');
      expect(over.headers).toMatchObject({
        'ratelimit-limit': '3',
        'ratelimit-remaining': '0',
        'retry-after': expect.stringMatching(/^\d+$/),
      });
      // Upstreams get a signed identity, never the key.
      expect(echo.received).toHaveLength(3);
      for (const seen of echo.received) {
        expect(seen.headers.authorization).toBeUndefined();
        expect(seen.headers['x-api-key']).toBeUndefined();
        expect(
          verifyGatewaySignature({
            secret: SECRET,
            headers: seen.headers,
            method: seen.method,
            path: seen.url,
          }),
        ).toMatchObject({ ok: true, partnerId, keyId: echoKey.id });
      }
      // A live key goes to the product's baseUrl; 5xx are not billable.
      const liveKey = await newKey({
        productIds: ['echo'],
        environment: 'production',
      });
      expect(liveKey.key).toMatch(/^sk_live_/);
      const live = await call(liveKey.key, '/echo/orders');
      expect([live.status, live.body]).toEqual([200, { echo: '/live/orders' }]);
      expect((await call(liveKey.key, '/echo/fail')).status).toBe(503);

      // Suspension stops every key at once; reactivation restores them.
      const admin = as(ADMIN);
      await admin.put(`/v1/admin/partners/${partnerId}/status`, {
        status: 'suspended',
      });
      expectProblem(await call(local.key), 403, 'partner_suspended');
      await admin.put(`/v1/admin/partners/${partnerId}/status`, {
        status: 'active',
      });
      expect((await call(local.key)).status).toBe(200);

      // Usage: within seconds, sandbox never billable, 5xx never billable.
      const totals = async (user = alice, query = '') => {
        const res = await user.get(`/v1/usage?granularity=minute${query}`);
        expect(res.status).toBe(200);
        return res.body;
      };
      const want = () => [
        expect.objectContaining({
          productId: 'echo',
          environment: 'production',
          calls: 2,
          billableCalls: 1,
          monthlyQuota: 3,
          quotaRemaining: 2,
        }),
        expect.objectContaining({
          productId: 'echo',
          environment: 'sandbox',
          calls: 3,
          billableCalls: 0,
          plan: 'free',
          monthlyQuota: 3,
          quotaRemaining: 0,
        }),
        expect.objectContaining({
          productId: 'routing',
          environment: 'production',
          calls: 0,
        }),
        expect.objectContaining({ productId: 'routing', calls: 0 }),
        expect.objectContaining({ productId: 'tracking', calls: 0 }),
        expect.objectContaining({
          productId: 'tracking',
          environment: 'sandbox',
          calls: trackingCalls,
          billableCalls: 0,
          monthlyQuota: 1000,
        }),
      ];
      let report: any;
      for (let i = 0; i < 40; i++) {
        report = await totals();
        const sandbox = report.totals.find(
          (t: any) => t.productId === 'tracking' && t.environment === 'sandbox',
        );
        if (sandbox?.calls === trackingCalls) break;
        await sleep(100);
      }
      expect(report).toMatchObject({
        partnerId,
        granularity: 'minute',
        live: true,
      });
      expect(report.totals).toEqual(want());
      const itemCalls = report.items
        .filter((i: any) => i.productId === 'tracking')
        .reduce((n: number, i: any) => n + i.calls, 0);
      expect(itemCalls).toBe(trackingCalls);
      expect(
        report.items.find(
          (i: any) => i.productId === 'echo' && i.environment === 'production',
        ),
      ).toMatchObject({
        calls: 2,
        billableCalls: 1,
        statusClasses: { '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 1 },
        latencyP50Ms: expect.any(Number),
        latencyP99Ms: expect.any(Number),
      });

      // Who may read it: the partner's members and admins, not outsiders.
      const bob = as('user:default/bob');
      await onboard(bob, 'Other Co', []);
      expect((await bob.get(`/v1/usage?partnerId=${partnerId}`)).status).toBe(
        403,
      );
      expect((await as('user:default/olly').get('/v1/usage')).status).toBe(404);
      expect((await totals(bob)).totals).toEqual([]);
      expect(
        (await totals(as(ADMIN), `&partnerId=${partnerId}`)).totals,
      ).toEqual(want());
      expect(
        (
          await alice.get(
            '/v1/usage?granularity=minute&from=2026-01-01T00:00:00Z',
          )
        ).status,
      ).toBe(400);
      expect(
        (await alice.get('/v1/usage?from=yesterday')).body.error.name,
      ).toBe('InputError');
    });

    it('verifies calls for existing gateways, JSON and auth_request style, for services only', async () => {
      const knex = await databases.init(databaseId);
      const { server, as } = await startMarketplace({
        knex,
        entities: entities(),
        config: { apiMarketplace: { gateway: { signingSecret: SECRET } } },
      });
      const alice = as('user:default/alice');
      const partnerId = await onboard(alice, 'Acme Freight', [
        'tracking',
        'echo',
      ]);
      const key = (
        await alice.post('/v1/keys', {
          name: 'k',
          environment: 'sandbox',
          productIds: ['tracking', 'echo'],
        })
      ).body;
      const verify = (body: object, auth = mockCredentials.service.header()) =>
        request(server)
          .post(`${BASE}/v1/verify`)
          .set('authorization', auth)
          .send(body);

      const allowed = await verify({
        key: key.key,
        productId: 'tracking',
        method: 'get',
        path: '/shipments/1',
      });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toEqual({
        allowed: true,
        status: 200,
        partnerId,
        keyId: key.id,
        plan: 'free',
        environment: 'sandbox',
        rateLimit: {
          limit: 5,
          remaining: expect.any(Number),
          reset: expect.any(Number),
        },
        upstreamHeaders: expect.objectContaining({
          'x-portico-partner': partnerId,
          'x-portico-signature': expect.any(String),
        }),
      });
      expect(
        verifyGatewaySignature({
          secret: SECRET,
          headers: allowed.body.upstreamHeaders,
          method: 'GET',
          path: '/shipments/1',
        }).ok,
      ).toBe(true);
      expect(
        (
          await verify({
            key: key.key,
            productId: 'tracking',
            environment: 'production',
          })
        ).body,
      ).toMatchObject({
        allowed: false,
        status: 403,
        code: 'wrong_environment',
      });
      expect(
        (await verify({ key: 'sk_test_nope', productId: 'tracking' })).body,
      ).toEqual({ allowed: false, status: 401, code: 'invalid_key' });
      expect(
        (
          await verify({
            key: key.key,
            productId: 'tracking',
            clientIp: '198.51.100.7',
          })
        ).body.allowed,
      ).toBe(true);
      const userCall = await verify(
        { key: key.key, productId: 'tracking' },
        mockCredentials.user.header('user:default/alice'),
      );
      expect([userCall.status, userCall.body.error.name]).toEqual([
        403,
        'NotAllowedError',
      ]);

      // auth_request: the key where the partner put it, the gateway's token beside it.
      const authRequest = (headers: Record<string, string>) => {
        const req = request(server).get(`${BASE}/v1/verify/auth-request`);
        for (const [name, value] of Object.entries(headers))
          req.set(name, value);
        return req;
      };
      const gatewayToken = mockCredentials.service.token();
      const yes = await authRequest({
        'x-portico-gateway-token': gatewayToken,
        authorization: `Bearer ${key.key}`,
        'x-original-uri': `/gateway/tracking${SHIPMENT}?expand=events`,
        'x-original-method': 'GET',
      });
      expect(yes.status).toBe(200);
      expect(yes.headers).toMatchObject({
        'x-portico-partner': partnerId,
        'x-portico-key-id': key.id,
        'x-portico-plan': 'free',
        'ratelimit-limit': '5',
        'ratelimit-remaining': expect.any(String),
        'ratelimit-reset': expect.any(String),
      });
      expect(
        verifyGatewaySignature({
          secret: SECRET,
          headers: yes.headers,
          method: 'GET',
          path: `${SHIPMENT}?expand=events`,
        }).ok,
      ).toBe(true);
      const viaHeader = await authRequest({
        'x-portico-gateway-token': gatewayToken,
        'x-api-key': key.key,
        'x-portico-product': 'echo',
      });
      expect(viaHeader.status).toBe(200);
      const bad = await authRequest({
        'x-portico-gateway-token': gatewayToken,
        'x-api-key': 'sk_test_garbage',
        'x-portico-product': 'tracking',
      });
      expect([bad.status, bad.body.code]).toEqual([401, 'invalid_key']);
      expect(bad.headers['x-portico-problem']).toBe('invalid_key');
      expect(yes.headers['x-portico-problem']).toBeUndefined();
      expect(
        (
          await authRequest({
            'x-portico-gateway-token': gatewayToken,
            'x-api-key': key.key,
            'x-portico-product': 'tracking',
            'x-portico-environment': 'production',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await authRequest({
            'x-portico-gateway-token': gatewayToken,
            'x-api-key': key.key,
          })
        ).status,
      ).toBe(400);
      const asUser = await authRequest({
        'x-portico-gateway-token': mockCredentials.user.token(),
        'x-api-key': key.key,
        'x-portico-product': 'tracking',
      });
      expect([asUser.status, asUser.body.error?.name]).toEqual([
        403,
        'NotAllowedError',
      ]);
      const anonymous = await authRequest({
        'x-api-key': key.key,
        'x-portico-product': 'tracking',
      });
      expect([anonymous.status, anonymous.body.error?.name]).toEqual([
        401,
        'AuthenticationError',
      ]);

      // The quota counts verify-mode calls too: echo's 3 free calls.
      const echoCalls = [];
      for (let i = 0; i < 3; i++) {
        echoCalls.push(
          (
            await authRequest({
              'x-portico-gateway-token': gatewayToken,
              'x-api-key': key.key,
              'x-original-uri': `/gateway/echo/x/${i}`,
            })
          ).status,
        );
      }
      expect(echoCalls).toEqual([200, 200, 429]);
      const refused = await verify({ key: key.key, productId: 'echo' });
      expect(refused.body).toMatchObject({
        allowed: false,
        status: 429,
        code: 'quota_exceeded',
        keyId: key.id,
        rateLimit: { limit: 3, remaining: 0 },
        retryAfter: expect.any(Number),
      });

      // And they are metered like gateway calls.
      let usage: any;
      for (let i = 0; i < 40; i++) {
        usage = (await alice.get('/v1/usage')).body;
        if (
          usage.totals.some((t: any) => t.calls >= 3 && t.productId === 'echo')
        )
          break;
        await sleep(100);
      }
      expect(
        usage.totals.filter((t: any) => t.environment === 'sandbox'),
      ).toEqual([
        expect.objectContaining({ productId: 'echo', calls: 3 }),
        expect.objectContaining({ productId: 'tracking', calls: 3 }),
      ]);
    });

    it('with Redis: a revocation on one replica stops the key on another within a second, and usage adds up across replicas', async () => {
      const knex = await databases.init(databaseId);
      const config = {
        apiMarketplace: {
          redis: {
            connection: redisUrl,
            prefix: `portico-test-${randomUUID()}:`,
          },
          gateway: { signingSecret: SECRET },
        },
      };
      const a = await startMarketplace({ knex, entities: entities(), config });
      const b = await startMarketplace({ knex, entities: entities(), config });
      const alice = a.as('user:default/alice');
      await onboard(alice, 'Acme Freight', ['tracking']);
      const key = (
        await alice.post('/v1/keys', {
          name: 'k',
          environment: 'sandbox',
          productIds: ['tracking'],
        })
      ).body;
      const callOn = (server: typeof a.server) =>
        request(server)
          .get(`${BASE}/gateway/tracking${SHIPMENT}`)
          .set('authorization', `Bearer ${key.key}`);
      expect((await callOn(a.server)).status).toBe(200);
      // B caches the key as valid.
      expect((await callOn(b.server)).status).toBe(200);
      expect((await callOn(b.server)).status).toBe(200);

      expect((await alice.delete(`/v1/keys/${key.id}`)).status).toBe(204);
      const revokedAt = Date.now();
      let status = 200;
      while (Date.now() - revokedAt < 1000) {
        status = (await callOn(b.server)).status;
        if (status === 401) break;
        await sleep(20);
      }
      expect(status).toBe(401);
      expect(Date.now() - revokedAt).toBeLessThan(1000);

      // Calls on both replicas show in either's report.
      let report: any;
      for (let i = 0; i < 40; i++) {
        report = (await b.as('user:default/alice').get('/v1/usage')).body;
        if (report.totals.find((t: any) => t.calls === 3)) break;
        await sleep(100);
      }
      expect(report.live).toBe(true);
      expect(
        report.totals.find((t: any) => t.environment === 'sandbox'),
      ).toMatchObject({ productId: 'tracking', calls: 3, billableCalls: 0 });
    });

    it('rolls the usage up from the scheduled task, idempotently, and reports it once', async () => {
      const knex = await databases.init(databaseId);
      const scheduler = mockServices.scheduler.mock();
      const { server, as } = await startMarketplace({
        knex,
        entities: entities(),
        features: [scheduler.factory],
        config: {
          apiMarketplace: {
            redis: {
              connection: redisUrl,
              prefix: `portico-test-${randomUUID()}:`,
            },
            // The current minute counts as closed, so the test need not wait.
            usage: { closeDelaySeconds: -60 },
          },
        },
      });
      const task = scheduler.scheduleTask.mock.calls
        .map(([definition]) => definition)
        .find(definition => definition.id === 'api-marketplace-usage-rollup')!;
      expect(task).toMatchObject({
        scope: 'global',
        frequency: { seconds: 30 },
      });

      const alice = as('user:default/alice');
      const partnerId = await onboard(alice, 'Acme Freight', ['tracking']);
      const { key } = (
        await alice.post('/v1/keys', {
          name: 'k',
          environment: 'sandbox',
          productIds: ['tracking'],
        })
      ).body;
      for (let i = 0; i < 3; i++) {
        const res = await request(server)
          .get(`${BASE}/gateway/tracking${SHIPMENT}`)
          .set('x-api-key', key);
        expect(res.status).toBe(200);
      }
      const sandboxCalls = async () =>
        (await alice.get('/v1/usage')).body.totals.find(
          (t: any) => t.environment === 'sandbox',
        ).calls;
      for (let i = 0; i < 40 && (await sandboxCalls()) !== 3; i++) {
        await sleep(100);
      }

      await task.fn(new AbortController().signal);
      await task.fn(new AbortController().signal); // a second run, or replica
      const rows = await knex('usage_rollups')
        .where({ partner_id: partnerId, granularity: 'minute' })
        .select('environment', 'status_class', 'calls', 'billable_calls');
      expect(
        rows.map(r => [
          r.environment,
          r.status_class,
          Number(r.calls),
          Number(r.billable_calls),
        ]),
      ).toEqual([['sandbox', '2xx', 3, 0]]);
      // Rolled up and still live in Redis: counted once.
      expect(await sandboxCalls()).toBe(3);
    });
  },
);
