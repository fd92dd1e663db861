import { verifyGatewaySignature } from '@portico/plugin-api-marketplace-node';
import { apiEntity, marketplaceBlock } from '../__fixtures__/entities';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  onboard,
  sleep,
  startEchoServer,
  startMarketplace,
} from '../__testUtils__/startMarketplace';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const SECRET = 'try-it-secret';
const SHIPMENT_ID = '6f1c2a3e-8d7b-4a9e-9c1d-2b3a4c5d6e7f';

let echo: Awaited<ReturnType<typeof startEchoServer>>;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(() => echo.close());

describe.each(databases.eachSupportedId())(
  'POST /v1/sandbox/try on %s',
  databaseId => {
    it('calls the sandbox through the gateway steps with the session or a pasted key, and refuses hostile input', async () => {
      const knex = await databases.init(databaseId);
      const { as } = await startMarketplace({
        knex,
        entities: [
          apiEntity('tracking', marketplaceBlock),
          apiEntity('echo', {
            ...marketplaceBlock,
            id: 'echo',
            sandboxUrl: `${echo.url}/sbx`,
            pricing: {
              ...marketplaceBlock.pricing,
              free: { monthlyQuota: 100, ratePerSecond: 1 },
            },
          }),
          apiEntity('metadata', {
            ...marketplaceBlock,
            id: 'metadata',
            sandboxUrl: 'http://169.254.169.254/latest',
          }),
        ],
        config: {
          apiMarketplace: {
            gateway: { signingSecret: SECRET },
            sandbox: { allowPrivate: ['127.0.0.1'] },
          },
        },
      });
      const alice = as('user:default/alice');
      const partnerId = await onboard(alice, 'Acme Freight', [
        'tracking',
        'echo',
        'metadata',
      ]);
      const newKey = async (body: object = {}) =>
        (
          await alice.post('/v1/keys', {
            name: 'k',
            environment: 'sandbox',
            productIds: ['tracking', 'echo', 'metadata'],
            ...body,
          })
        ).body as { id: string; key: string };
      const sandboxKey = await newKey();
      const liveKey = await newKey({ environment: 'production' });
      let trackingCalls = 0;
      const tryIt = async (body: object, user = alice) => {
        const res = await user.post('/v1/sandbox/try', body);
        if (
          res.status === 200 &&
          (body as any).productId === 'tracking' &&
          !String(res.body.body).includes('portico.dev/problems/')
        ) {
          trackingCalls++;
        }
        return res;
      };

      // The partner's own key by id: the secret never travels.
      const byId = await tryIt({
        productId: 'tracking',
        operationId: 'getShipment',
        pathParams: { shipmentId: SHIPMENT_ID },
        query: { expand: ['events', 'parcels'] },
        keyId: sandboxKey.id,
      });
      expect(byId.status).toBe(200);
      expect(byId.body).toMatchObject({
        statusCode: 200,
        headers: expect.objectContaining({
          'content-type': expect.stringContaining('application/json'),
          'ratelimit-limit': '5',
          'x-portico-request-id': expect.any(String),
        }),
        latencyMs: expect.any(Number),
        size: expect.any(Number),
        truncated: false,
      });
      expect(JSON.parse(byId.body.body)).toEqual({
        id: SHIPMENT_ID,
        status: 'in_transit',
      });
      // The test backend listens on a random port.
      expect(byId.body.curl.replace(/localhost:\d+/, 'localhost:7007')).toBe(
        [
          'curl --request GET',
          `--url 'http://localhost:7007/api/api-marketplace/gateway/tracking/shipments/${SHIPMENT_ID}?expand=events&expand=parcels'`,
          '--header "Authorization: Bearer $PORTICO_KEY"',
        ].join(' \\\n  '),
      );

      // A pasted test key, the operation named by method and path.
      const pasted = await tryIt({
        productId: 'tracking',
        method: 'post',
        path: '/shipments',
        headers: { 'content-type': 'application/json' },
        body: { status: 'created' },
        key: sandboxKey.key,
      });
      expect(pasted.body.statusCode).toBe(201);
      expect(pasted.body.curl).toContain(`--data-raw '{"status":"created"}'`);
      for (const res of [byId, pasted]) {
        expect(JSON.stringify(res.body)).not.toContain(sandboxKey.key);
      }

      // Production keys never, by id or pasted; other partners' keys are not there.
      for (const body of [{ keyId: liveKey.id }, { key: liveKey.key }]) {
        const res = await tryIt({
          productId: 'tracking',
          operationId: 'getShipment',
          pathParams: { shipmentId: SHIPMENT_ID },
          ...body,
        });
        expect([res.status, res.body.error.name, res.body.error.code]).toEqual([
          400,
          'InputError',
          'live_key_refused',
        ]);
        expect(JSON.stringify(res.body)).not.toContain(liveKey.key);
      }
      const bob = as('user:default/bob');
      await onboard(bob, 'Other Co', ['tracking']);
      const stolen = await tryIt(
        {
          productId: 'tracking',
          operationId: 'getShipment',
          pathParams: { shipmentId: SHIPMENT_ID },
          keyId: sandboxKey.id,
        },
        bob,
      );
      expect(stolen.status).toBe(404);

      // The gateway's refusals come back as its answer.
      const garbage = await tryIt({
        productId: 'tracking',
        operationId: 'getShipment',
        pathParams: { shipmentId: SHIPMENT_ID },
        key: 'sk_test_not-a-key',
      });
      expect(garbage.body.statusCode).toBe(401);
      expect(JSON.parse(garbage.body.body).code).toBe('invalid_key');
      const revoked = await newKey();
      await alice.delete(`/v1/keys/${revoked.id}`);
      const refused = await tryIt({
        productId: 'tracking',
        operationId: 'getShipment',
        pathParams: { shipmentId: SHIPMENT_ID },
        keyId: revoked.id,
      });
      expect([
        refused.body.statusCode,
        JSON.parse(refused.body.body).code,
      ]).toEqual([401, 'revoked_key']);

      // Hostile input is refused before anything is sent or counted.
      const hostile: Array<[object, number]> = [
        [{ pathParams: { shipmentId: '../../admin' } }, 400],
        [{ pathParams: { shipmentId: '%2e%2e%2fadmin' } }, 400],
        [{ pathParams: { shipmentId: 'a/b' } }, 400],
        [{ pathParams: { shipmentId: 'x\r\nHost: evil' } }, 400],
        [{ pathParams: {} }, 400],
        [{ pathParams: { shipmentId: 'x', other: 'y' } }, 400],
        [
          {
            pathParams: { shipmentId: 'x' },
            headers: { 'x-a': 'b\r\nX-Injected: 1' },
          },
          400,
        ],
        [
          { pathParams: { shipmentId: 'x' }, headers: { 'bad header': 'v' } },
          400,
        ],
        [
          {
            pathParams: { shipmentId: 'x' },
            query: Object.fromEntries(
              Array.from({ length: 150 }, (_, i) => [`q${i}`, 'v']),
            ),
          },
          400,
        ],
        [{ operationId: 'deleteEverything' }, 404],
        [{ operationId: undefined, method: 'DELETE', path: '/shipments' }, 404],
        [
          {
            operationId: undefined,
            method: 'GET',
            path: 'http://evil.example/',
          },
          404,
        ],
        [{ operationId: undefined }, 400],
        [{ keyId: undefined }, 400],
        [{ key: sandboxKey.key }, 400], // keyId and key
        [{ productId: 'nope' }, 404],
      ];
      for (const [override, status] of hostile) {
        const res = await tryIt({
          productId: 'tracking',
          operationId: 'getShipment',
          pathParams: { shipmentId: SHIPMENT_ID },
          keyId: sandboxKey.id,
          ...override,
        });
        expect([JSON.stringify(override), res.status]).toEqual([
          JSON.stringify(override),
          status,
        ]);
      }
      // A product whose sandbox is the cloud metadata address is never called.
      const ssrf = await tryIt({
        productId: 'metadata',
        operationId: 'getShipment',
        pathParams: { shipmentId: SHIPMENT_ID },
        keyId: sandboxKey.id,
      });
      expect([ssrf.status, ssrf.body.error.name]).toEqual([
        403,
        'NotAllowedError',
      ]);

      // Products with their own sandbox: unsafe headers dropped, identity signed.
      echo.received.length = 0;
      const own = await tryIt({
        productId: 'echo',
        operationId: 'getShipment',
        pathParams: { shipmentId: SHIPMENT_ID },
        headers: {
          authorization: 'Bearer stolen',
          host: 'evil.example',
          'x-forwarded-for': '10.0.0.1',
          'x-portico-partner': 'someone-else',
          'x-trace': 'kept',
        },
        keyId: sandboxKey.id,
      });
      expect([own.body.statusCode, JSON.parse(own.body.body)]).toEqual([
        200,
        { echo: `/sbx/shipments/${SHIPMENT_ID}` },
      ]);
      expect(echo.received).toHaveLength(1);
      const seen = echo.received[0];
      expect(seen.headers).toMatchObject({
        host: expect.stringMatching(/^127\.0\.0\.1:/),
        'x-trace': 'kept',
        'x-portico-partner': partnerId,
      });
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-forwarded-for']).toBeUndefined();
      expect(
        verifyGatewaySignature({
          secret: SECRET,
          headers: seen.headers,
          method: seen.method,
          path: seen.url,
        }),
      ).toMatchObject({ ok: true, partnerId, keyId: sandboxKey.id });
      expect(own.body.curl).not.toContain('stolen');
      // Free tier rate of echo: 1 per second.
      const second = await tryIt({
        productId: 'echo',
        operationId: 'getShipment',
        pathParams: { shipmentId: SHIPMENT_ID },
        keyId: sandboxKey.id,
      });
      expect([
        second.body.statusCode,
        JSON.parse(second.body.body).code,
      ]).toEqual([429, 'rate_limited']);
      expect(second.body.headers['retry-after']).toEqual(expect.any(String));

      // Sandbox usage: metered at once, as sandbox, never billable.
      let report: any;
      for (let i = 0; i < 40; i++) {
        report = (await alice.get('/v1/usage?environment=sandbox')).body;
        // The meter flushes every 100 ms.
        const calls = report.totals.map((t: any) => t.calls);
        if (calls.join() === [1, 1, trackingCalls].join()) break;
        await sleep(100);
      }
      expect(report.totals).toEqual([
        expect.objectContaining({
          productId: 'echo',
          environment: 'sandbox',
          calls: 1,
          billableCalls: 0,
        }),
        // The refused metadata call is metered as a gateway 502.
        expect.objectContaining({
          productId: 'metadata',
          environment: 'sandbox',
          calls: 1,
          billableCalls: 0,
        }),
        expect.objectContaining({
          productId: 'tracking',
          environment: 'sandbox',
          calls: trackingCalls,
          billableCalls: 0,
        }),
      ]);
      expect(trackingCalls).toBe(2);
      expect(
        report.items.every(
          (i: any) => i.environment === 'sandbox' && i.billableCalls === 0,
        ),
      ).toBe(true);
    });
  },
);
