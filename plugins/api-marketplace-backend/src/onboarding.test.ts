import {
  LoggerService,
  RootLoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { apiEntity, marketplaceBlock } from './__fixtures__/entities';
import { ADMIN, startMarketplace } from './__testUtils__/startMarketplace';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(120_000);

const databases = createTestDatabases();

/** Every log line of the backend, to prove no key is ever written there. */
function capturingRootLogger(lines: string[]) {
  const make = (): LoggerService => {
    const push = (level: string) => (message: string, meta?: unknown) => {
      lines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
    };
    return {
      error: push('error'),
      warn: push('warn'),
      info: push('info'),
      debug: push('debug'),
      child: () => make(),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make() as RootLoggerService,
  });
}

async function start(knex: Knex, logLines: string[]) {
  const { as } = await startMarketplace({
    knex,
    entities: [
      apiEntity('tracking', marketplaceBlock),
      apiEntity('routing', { ...marketplaceBlock, id: 'routing' }),
      apiEntity('rates', { ...marketplaceBlock, id: 'rates' }),
    ],
    features: [capturingRootLogger(logLines)],
  });
  return as;
}

describe.each(databases.eachSupportedId())(
  'onboarding and keys on %s',
  databaseId => {
    it('enforces the partner × role × admin matrix and never stores, logs or audits a raw key', async () => {
      const knex = await databases.init(databaseId);
      const logLines: string[] = [];
      const as = await start(knex, logLines);
      const alice = as('user:default/alice'); // owner of A
      const dave = as('user:default/dave'); // developer of A
      const bill = as('user:default/bill'); // billing of A
      const bob = as('user:default/bob'); // owner of B
      const olly = as('user:default/olly'); // no partner
      const admin = as(ADMIN);
      const rawKeys: string[] = [];

      // Partners
      expect((await olly.get('/v1/me')).body).toEqual({
        userRef: 'user:default/olly',
        isAdmin: false,
        invitations: [],
      });
      const a = await alice.post('/v1/partners', {
        name: 'Acme Freight',
        billingEmail: 'ap@acme.example',
      });
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({ slug: 'acme-freight', status: 'active' });
      const again = await alice.post('/v1/partners', {
        name: 'Acme Two',
        billingEmail: 'ap@acme.example',
      });
      expect([again.status, again.body.error.name]).toEqual([
        409,
        'ConflictError',
      ]);
      const b = await bob.post('/v1/partners', {
        name: 'Acme Freight',
        billingEmail: 'ops@b.example',
      });
      expect(b.body.slug).toBe('acme-freight-2');
      for (const body of [
        { name: 'x', billingEmail: 'a@b.example' },
        { name: 'Valid', billingEmail: 'not-an-email' },
        { name: 'y'.repeat(201), billingEmail: 'a@b.example' },
        { name: 'Valid', billingEmail: 'a@b.example', extra: 1 },
      ]) {
        const res = await olly.post('/v1/partners', body);
        expect([res.status, res.body.error?.name]).toEqual([400, 'InputError']);
      }
      expect(
        (await alice.post('/v1/partners/current/terms')).body.termsAcceptedAt,
      ).toEqual(expect.any(String));

      // Members join by invitation
      for (const [user, role] of [
        ['user:default/dave', 'developer'],
        ['user:default/bill', 'billing'],
      ]) {
        expect(
          (
            await alice.post('/v1/partners/current/invitations', {
              userRef: user,
              role,
            })
          ).status,
        ).toBe(201);
      }
      expect(
        (
          await alice.post('/v1/partners/current/invitations', {
            userRef: 'user:default/x',
            role: 'owner',
          })
        ).status,
      ).toBe(400);
      for (const member of [dave, bill]) {
        const me = await member.get('/v1/me');
        expect(me.body.invitations).toHaveLength(1);
        expect(
          (
            await member.post(
              `/v1/invitations/${me.body.invitations[0].id}/accept`,
            )
          ).status,
        ).toBe(204);
      }
      expect((await dave.get('/v1/me')).body.partner).toMatchObject({
        id: a.body.id,
        role: 'developer',
      });
      expect(
        (await bob.get('/v1/partners/current/invitations')).body.items,
      ).toEqual([]);
      expect(
        (
          await dave.post('/v1/partners/current/invitations', {
            userRef: 'user:default/z',
            role: 'admin',
          })
        ).status,
      ).toBe(403);

      // Subscriptions: free at once, paid waits for checkout; developers may not subscribe
      const free = await alice.post('/v1/subscriptions', {
        productId: 'tracking',
        plan: 'free',
      });
      expect(free.body).toMatchObject({ status: 'active', plan: 'free' });
      const paid = await bill.post('/v1/subscriptions', {
        productId: 'routing',
        plan: 'starter',
      });
      expect(paid.body).toMatchObject({
        status: 'pending_payment',
        plan: 'starter',
      });
      expect(
        (
          await dave.post('/v1/subscriptions', {
            productId: 'rates',
            plan: 'free',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await alice.post('/v1/subscriptions', {
            productId: 'tracking',
            plan: 'free',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await alice.post('/v1/subscriptions', {
            productId: 'nope',
            plan: 'free',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await alice.post('/v1/subscriptions', {
            productId: 'rates',
            plan: 'platinum',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await bob.patch(`/v1/subscriptions/${free.body.id}`, {
            plan: 'starter',
          })
        ).status,
      ).toBe(404);
      expect(
        (await bob.delete(`/v1/subscriptions/${free.body.id}`)).status,
      ).toBe(404);

      // Keys
      const created = await dave.post('/v1/keys', {
        name: 'ci',
        productIds: ['tracking'],
        environment: 'sandbox',
      });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^sk_test_/);
      expect(created.body.prefix).toBe(created.body.key.slice(0, 24));
      rawKeys.push(created.body.key);
      const listed = await alice.get('/v1/keys');
      expect(listed.body.items).toHaveLength(1);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
      expect(Object.keys(listed.body.items[0])).not.toEqual(
        expect.arrayContaining(['key']),
      );
      expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);

      const bad: Array<[object, string]> = [
        [
          { name: 'k', productIds: ['routing'], environment: 'sandbox' },
          'routing',
        ],
        [{ name: 'k', productIds: ['rates'], environment: 'sandbox' }, 'rates'],
        [{ name: 'k', productIds: [], environment: 'sandbox' }, 'productIds'],
        [
          {
            name: 'k'.repeat(101),
            productIds: ['tracking'],
            environment: 'sandbox',
          },
          'name',
        ],
        [
          { name: '   ', productIds: ['tracking'], environment: 'sandbox' },
          'name',
        ],
        [
          { name: 'k', productIds: ['tracking'], environment: 'staging' },
          'environment',
        ],
        [
          {
            name: 'k',
            productIds: ['tracking'],
            environment: 'sandbox',
            expiresAt: '2020-01-01T00:00:00Z',
          },
          'expiresAt',
        ],
        [
          {
            name: 'k',
            productIds: ['tracking'],
            environment: 'sandbox',
            expiresAt: 'tomorrow',
          },
          'expiresAt',
        ],
        [
          {
            name: 'k',
            productIds: ['tracking'],
            environment: 'sandbox',
            allowedIps: ['10.0.0.0/33'],
          },
          '10.0.0.0/33',
        ],
        [
          {
            name: 'k',
            productIds: ['tracking'],
            environment: 'sandbox',
            allowedIps: ['evil.example'],
          },
          'evil.example',
        ],
        [
          {
            name: 'k',
            productIds: ['tracking'],
            environment: 'sandbox',
            partnerId: b.body.id,
          },
          'additional properties',
        ],
      ];
      for (const [body, mentioned] of bad) {
        const res = await dave.post('/v1/keys', body);
        expect({
          body,
          status: res.status,
          code: res.body.error?.name,
        }).toEqual({ body, status: 400, code: 'InputError' });
        expect(res.body.error.message).toContain(mentioned);
      }
      const scoped = await dave.post('/v1/keys', {
        name: 'office',
        productIds: ['tracking'],
        environment: 'production',
        expiresAt: new Date(Date.now() + 86400_000).toISOString(),
        allowedIps: ['203.0.113.0/24', '2001:db8::1'],
      });
      expect(scoped.status).toBe(201);
      expect(scoped.body.key).toMatch(/^sk_live_/);
      rawKeys.push(scoped.body.key);
      expect(
        (
          await bill.post('/v1/keys', {
            name: 'k',
            productIds: ['tracking'],
            environment: 'sandbox',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await olly.post('/v1/keys', {
            name: 'k',
            productIds: ['tracking'],
            environment: 'sandbox',
          })
        ).status,
      ).toBe(404);
      expect((await olly.get('/v1/keys')).status).toBe(404);

      // Another partner's key id is indistinguishable from a missing one
      const keyId = created.body.id;
      for (const res of [
        await bob.post(`/v1/keys/${keyId}/rotate`, {}),
        await bob.delete(`/v1/keys/${keyId}`),
        await bob.post('/v1/keys/doesnotexist000/rotate', {}),
      ]) {
        expect([res.status, res.body.error.name]).toEqual([
          404,
          'NotFoundError',
        ]);
      }
      expect((await bob.get(`/v1/keys?partnerId=${a.body.id}`)).status).toBe(
        403,
      );
      expect((await bob.get(`/v1/audit?partnerId=${a.body.id}`)).status).toBe(
        403,
      );

      // Rotation with grace
      const rotated = await dave.post(`/v1/keys/${keyId}/rotate`, {
        gracePeriodHours: 2,
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body).toMatchObject({
        replaces: keyId,
        status: 'active',
        name: 'ci',
      });
      expect(rotated.body.key).not.toBe(created.body.key);
      rawKeys.push(rotated.body.key);
      const afterRotation = (await dave.get('/v1/keys')).body.items;
      expect(afterRotation.find((k: any) => k.id === keyId)).toMatchObject({
        status: 'rotating',
        replacedBy: rotated.body.id,
      });
      expect((await dave.post(`/v1/keys/${keyId}/rotate`, {})).status).toBe(
        409,
      );
      expect(
        (
          await dave.post(`/v1/keys/${rotated.body.id}/rotate`, {
            gracePeriodHours: 721,
          })
        ).status,
      ).toBe(400);

      // Admins see and act on everything
      expect((await admin.get('/v1/admin/partners')).body.items).toHaveLength(
        2,
      );
      expect((await alice.get('/v1/admin/partners')).status).toBe(403);
      expect(
        (await admin.get(`/v1/keys?partnerId=${a.body.id}`)).body.items,
      ).toHaveLength(3);
      expect(
        (
          await admin.put(`/v1/admin/partners/${a.body.id}/status`, {
            status: 'suspended',
          })
        ).body.status,
      ).toBe('suspended');

      // A suspended partner may not create or rotate, but may still revoke
      const suspended = await dave.post('/v1/keys', {
        name: 'k',
        productIds: ['tracking'],
        environment: 'sandbox',
      });
      expect([suspended.status, suspended.body.error.name]).toEqual([
        403,
        'NotAllowedError',
      ]);
      expect(
        (await dave.post(`/v1/keys/${rotated.body.id}/rotate`, {})).status,
      ).toBe(403);
      expect(
        (
          await alice.post('/v1/subscriptions', {
            productId: 'rates',
            plan: 'free',
          })
        ).status,
      ).toBe(403);
      expect((await dave.delete(`/v1/keys/${rotated.body.id}`)).status).toBe(
        204,
      );
      expect(
        (await dave.get('/v1/keys')).body.items.find(
          (k: any) => k.id === rotated.body.id,
        ).status,
      ).toBe('revoked');

      // The partner-visible audit log tells the story without secrets
      const auditLog = await dave.get('/v1/audit');
      expect(auditLog.body.items.map((e: any) => e.action)).toEqual(
        expect.arrayContaining([
          'partner.created',
          'member.joined',
          'subscription.created',
          'key.created',
          'key.rotated',
          'key.revoked',
          'partner.suspended',
        ]),
      );
      expect(
        (await bob.get('/v1/audit')).body.items.map((e: any) => e.action),
      ).toEqual(['partner.created']);

      // No raw key anywhere: database, logs (including auditor events), audit log
      const everything: string[] = [];
      for (const table of [
        'partners',
        'partner_members',
        'partner_invitations',
        'subscriptions',
        'api_keys',
        'audit_events',
      ]) {
        everything.push(JSON.stringify(await knex(table).select()));
      }
      everything.push(...logLines, JSON.stringify(auditLog.body));
      expect(logLines.some(line => line.includes('api-key-create'))).toBe(true);
      for (const key of rawKeys) {
        const secretPart = key.slice(24);
        for (const text of everything) {
          expect(text.includes(secretPart)).toBe(false);
        }
      }
    });
  },
);
