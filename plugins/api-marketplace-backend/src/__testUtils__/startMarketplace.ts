import http from 'node:http';
import { AddressInfo } from 'node:net';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { apiMarketplacePlugin } from '../plugin';

export const ADMIN = 'user:default/marketplace-admin';
export const BASE = '/api/api-marketplace';

/** The whole plugin on a test backend, with an admin and a catalog. */
export async function startMarketplace(options: {
  knex: Knex;
  entities: Entity[];
  config?: JsonObject;
  /** More service factories, e.g. a scheduler mock. */
  features?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const { server } = await startTestBackend({
    features: [
      ...(options.features ?? []),
      apiMarketplacePlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          ...options.config,
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.mock({
        authorize: async (requests, { credentials }) =>
          requests.map(() => ({
            result:
              (
                credentials as BackstageCredentials<{
                  type: 'user';
                  userEntityRef: string;
                }>
              ).principal.userEntityRef === ADMIN
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })),
      }).factory,
    ],
  });
  const as = (user: string) => {
    const auth = mockCredentials.user.header(user);
    return {
      get: (path: string) =>
        request(server)
          .get(BASE + path)
          .set('authorization', auth),
      post: (path: string, body?: object) =>
        request(server)
          .post(BASE + path)
          .set('authorization', auth)
          .send(body),
      patch: (path: string, body: object) =>
        request(server)
          .patch(BASE + path)
          .set('authorization', auth)
          .send(body),
      put: (path: string, body: object) =>
        request(server)
          .put(BASE + path)
          .set('authorization', auth)
          .send(body),
      delete: (path: string) =>
        request(server)
          .delete(BASE + path)
          .set('authorization', auth),
    };
  };
  return { server, as };
}

/** A partner with free subscriptions, through the REST API. */
export async function onboard(
  owner: ReturnType<Awaited<ReturnType<typeof startMarketplace>>['as']>,
  name: string,
  productIds: string[],
): Promise<string> {
  const partner = await owner.post('/v1/partners', {
    name,
    billingEmail: 'ap@partner.example',
  });
  if (partner.status !== 201) throw new Error(JSON.stringify(partner.body));
  for (const productId of productIds) {
    const sub = await owner.post('/v1/subscriptions', {
      productId,
      plan: 'free',
    });
    if (sub.status !== 201) throw new Error(JSON.stringify(sub.body));
  }
  return partner.body.id;
}

/** An upstream that answers with what it received. */
export async function startEchoServer() {
  const received: Array<{
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
  }> = [];
  const server = http.createServer((req, res) => {
    received.push({ method: req.method!, url: req.url!, headers: req.headers });
    req.resume();
    req.on('end', () => {
      const status = req.url?.includes('/fail') ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: req.url }));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));
