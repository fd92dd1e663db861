import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations } from '../database/migrations';
import { PartnerStore } from '../database/PartnerStore';
import { apiMarketplacePlugin } from '../plugin';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { bindCatalogRoutes } from './catalogRoutes';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** What a backend plugin sends after `auth.getPluginRequestToken(...)`. */
const serviceHeader = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'api-marketplace',
  });

async function serve(partners: PartnerStore) {
  const router = await createOpenApiRouter();
  bindCatalogRoutes(router, {
    httpAuth: mockServices.httpAuth({
      pluginId: 'api-marketplace',
      defaultCredentials: mockCredentials.none(),
    }),
    partners,
  });
  const app = express()
    .use(router)
    .use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error(),
    );
  // The typed router checks the response body against openapi.yaml at compile
  // time. (wrapServer's proxy cannot resolve localhost on this machine.)
  return app;
}

describe.each(databases.eachSupportedId())(
  'GET /v1/catalog/partners on %s',
  databaseId => {
    let partners: PartnerStore;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      partners = new PartnerStore(knex);
    });

    it('answers an empty directory', async () => {
      const server = await serve(partners);
      const res = await request(server)
        .get('/v1/catalog/partners')
        .set('authorization', serviceHeader('plugin:catalog'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [] });
    });

    it('lists active and suspended partners with their members for the catalog', async () => {
      const acme = await partners.create({
        name: 'Acme Freight',
        billingEmail: 'ap@acme.example',
        ownerRef: 'user:partners/pat_at_acme.example',
      });
      const invitation = await partners.invite({
        partnerId: acme.id,
        userRef: 'user:default/alice',
        role: 'developer',
        invitedBy: 'user:partners/pat_at_acme.example',
        expiresAt: new Date(Date.now() + 60_000),
      });
      await partners.acceptInvitation(invitation.id, 'user:default/alice');
      const globex = await partners.create({
        name: 'Globex',
        billingEmail: 'billing@globex.example',
        ownerRef: 'user:partners/github-583231',
      });
      await partners.setStatus(globex.id, 'suspended');

      const server = await serve(partners);
      const res = await request(server)
        .get('/v1/catalog/partners')
        .set('authorization', serviceHeader('plugin:catalog'));
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
      expect(res.body.items).toEqual(
        expect.arrayContaining([
          {
            id: acme.id,
            slug: 'acme-freight',
            name: 'Acme Freight',
            status: 'active',
            members: expect.arrayContaining([
              { userRef: 'user:partners/pat_at_acme.example', role: 'owner' },
              { userRef: 'user:default/alice', role: 'developer' },
            ]),
          },
          {
            id: globex.id,
            slug: 'globex',
            name: 'Globex',
            status: 'suspended',
            members: [
              { userRef: 'user:partners/github-583231', role: 'owner' },
            ],
          },
        ]),
      );
      const acmeItem = res.body.items.find((p: any) => p.id === acme.id);
      expect(acmeItem.members).toHaveLength(2);
      // Nothing beyond what the catalog needs: no billing e-mail, no Stripe id.
      expect(Object.keys(acmeItem).sort()).toEqual(
        ['id', 'members', 'name', 'slug', 'status'].sort(),
      );
    });

    it('refuses users, with 403', async () => {
      const server = await serve(partners);
      const res = await request(server)
        .get('/v1/catalog/partners')
        .set(
          'authorization',
          mockCredentials.user.header('user:default/alice'),
        );
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    });

    it('refuses services other than the catalog, with 403', async () => {
      const server = await serve(partners);
      const res = await request(server)
        .get('/v1/catalog/partners')
        .set('authorization', serviceHeader('external:portico-gateway'));
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message:
          'Only the catalog backend may read the partner directory, not external:portico-gateway',
      });
    });

    it('refuses requests without credentials, with 401', async () => {
      const server = await serve(partners);
      const res = await request(server)
        .get('/v1/catalog/partners')
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  },
);

describe('GET /v1/catalog/partners in the plugin', () => {
  it('is served to the catalog, and refused to users', async () => {
    const { server } = await startTestBackend({
      features: [
        apiMarketplacePlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: { apiMarketplace: { productCacheMs: 0 } },
        }),
      ],
    });
    const path = '/api/api-marketplace/v1/catalog/partners';
    const catalog = await request(server)
      .get(path)
      .set('authorization', serviceHeader('plugin:catalog'));
    expect(catalog.status).toBe(200);
    expect(catalog.body).toEqual({ items: [] });
    const user = await request(server)
      .get(path)
      .set('authorization', mockCredentials.user.header());
    expect(user.status).toBe(403);
  });
});
