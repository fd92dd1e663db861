import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { PartnerEntityProvider } from './PartnerEntityProvider';

/**
 * The provider against a stand-in for the marketplace backend: a real HTTP
 * server that answers GET /v1/catalog/partners only for the catalog's
 * service token, as the real endpoint does.
 */
describe('PartnerEntityProvider', () => {
  // What the catalog's own credentials turn into for the marketplace plugin.
  const catalogToken = mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:catalog'),
    targetPluginId: 'api-marketplace',
  });
  let answer: { status: number; body: string };
  let requests: http.IncomingHttpHeaders[];
  let server: http.Server;
  let baseUrl: string;

  beforeEach(async () => {
    requests = [];
    answer = { status: 200, body: JSON.stringify({ items: [] }) };
    server = http.createServer((req, res) => {
      requests.push(req.headers);
      if (req.url !== '/api/api-marketplace/v1/catalog/partners') {
        res.writeHead(404).end();
      } else if (req.headers.authorization !== catalogToken) {
        res.writeHead(403).end();
      } else {
        res
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(answer.body);
      }
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  function setup(config: object = { apiMarketplacePartners: {} }) {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const provider = PartnerEntityProvider.fromConfig(
      new ConfigReader({ catalog: { providers: config } }),
      {
        discovery: mockServices.discovery.mock({
          getBaseUrl: async pluginId => `${baseUrl}/api/${pluginId}`,
        }),
        auth: mockServices.auth({ pluginId: 'catalog' }),
        scheduler,
        logger,
      },
    );
    const connection: jest.Mocked<EntityProviderConnection> = {
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    };
    return { provider: provider!, scheduler, logger, connection };
  }

  /** Connects, and returns the scheduled task's function. */
  async function connected(config?: object) {
    const env = setup(config);
    await env.provider.connect(env.connection);
    const task = env.scheduler.scheduleTask.mock.calls[0][0];
    const run = () => task.fn(new AbortController().signal) as Promise<void>;
    return { ...env, task, run };
  }

  const acme = {
    id: 'a1',
    slug: 'acme-freight',
    name: 'Acme Freight',
    status: 'active',
    members: [
      { userRef: 'user:partners/pat_at_acme.example', role: 'owner' },
      { userRef: 'user:default/alice', role: 'developer' },
    ],
  };
  const globex = {
    id: 'g1',
    slug: 'globex',
    name: 'Globex',
    status: 'suspended',
    members: [{ userRef: 'user:partners/github-583231', role: 'owner' }],
  };

  const refsOf = (
    mutation: Parameters<EntityProviderConnection['applyMutation']>[0],
  ) =>
    mutation.type === 'full'
      ? mutation.entities.map(
          ({ entity }) =>
            `${entity.kind}:${entity.metadata.namespace}/${entity.metadata.name}`,
        )
      : [];

  it('is off unless configured, and runs every 30 seconds by default', async () => {
    expect(setup({}).provider).toBeUndefined();

    const { task, provider } = await connected();
    expect(provider.getProviderName()).toBe(
      'ApiMarketplacePartnerEntityProvider',
    );
    expect(task).toMatchObject({
      id: 'ApiMarketplacePartnerEntityProvider:refresh',
      scope: 'global',
      frequency: { seconds: 30 },
      timeout: { minutes: 1 },
    });
  });

  it('takes its schedule from config', async () => {
    const { task } = await connected({
      apiMarketplacePartners: {
        schedule: { frequency: { minutes: 5 }, timeout: { seconds: 20 } },
      },
    });
    expect(task).toMatchObject({
      frequency: { minutes: 5 },
      timeout: { seconds: 20 },
    });
  });

  it('publishes every partner with a full mutation, using the catalog service token', async () => {
    answer.body = JSON.stringify({ items: [acme, globex] });
    const { run, connection } = await connected();
    await run();

    expect(requests).toHaveLength(1);
    expect(requests[0].authorization).toBe(catalogToken);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(refsOf(mutation)).toEqual([
      'User:partners/pat_at_acme.example',
      'Group:partners/acme-freight',
      'User:partners/github-583231',
      'Group:partners/globex',
    ]);
    expect(mutation).toMatchObject({
      type: 'full',
      entities: expect.arrayContaining([
        {
          entity: expect.objectContaining({ kind: 'Group' }),
          locationKey: 'ApiMarketplacePartnerEntityProvider',
        },
      ]),
    });

    // A partner that is gone leaves the catalog with the next full mutation.
    answer.body = JSON.stringify({ items: [globex] });
    await run();
    expect(refsOf(connection.applyMutation.mock.calls[1][0])).toEqual([
      'User:partners/github-583231',
      'Group:partners/globex',
    ]);
  });

  it.each([
    ['the backend answers 503', { status: 503, body: '{}' }],
    ['the backend answers 403', { status: 403, body: '{}' }],
    ['the body is not JSON', { status: 200, body: '<html>' }],
    ['the body has no items', { status: 200, body: '{"partners":[]}' }],
    [
      'a partner is malformed',
      { status: 200, body: JSON.stringify({ items: [{ id: 'x' }] }) },
    ],
  ])(
    'keeps what the catalog has when %s, and publishes on the next good run',
    async (_case, bad) => {
      answer.body = JSON.stringify({ items: [acme] });
      const { run, connection, logger } = await connected();
      await run();
      expect(connection.applyMutation).toHaveBeenCalledTimes(1);

      answer = bad;
      await expect(run()).resolves.toBeUndefined();
      expect(connection.applyMutation).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        'ApiMarketplacePartnerEntityProvider: the partner directory could not be read, the catalog keeps the partners it has; retrying on the next run',
        expect.objectContaining({
          message: expect.stringMatching(
            /^Reading the partner directory failed; caused by /,
          ),
        }),
      );

      answer = { status: 200, body: JSON.stringify({ items: [globex] }) };
      await run();
      expect(connection.applyMutation).toHaveBeenCalledTimes(2);
      expect(refsOf(connection.applyMutation.mock.calls[1][0])).toEqual([
        'User:partners/github-583231',
        'Group:partners/globex',
      ]);
    },
  );

  it('keeps what the catalog has while the backend is down', async () => {
    answer.body = JSON.stringify({ items: [acme] });
    const { run, connection, logger } = await connected();
    await run();
    await new Promise(resolve => server.close(resolve));
    server.listen(0); // so that afterEach can close it again

    await run();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('applies an empty directory: no partners left means no partner entities', async () => {
    answer.body = JSON.stringify({ items: [acme] });
    const { run, connection } = await connected();
    await run();
    answer.body = JSON.stringify({ items: [] });
    await run();
    expect(connection.applyMutation).toHaveBeenLastCalledWith({
      type: 'full',
      entities: [],
    });
  });

  it('logs a change at info and a repeat at debug, applying both', async () => {
    answer.body = JSON.stringify({ items: [acme] });
    const { run, connection, logger } = await connected();
    await run();
    await run();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    const summary =
      'ApiMarketplacePartnerEntityProvider: published 1 partner(s) as 2 entities';
    expect(logger.info).toHaveBeenCalledWith(summary);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.debug).toHaveBeenCalledWith(summary);
  });

  it('refuses to refresh before the catalog connected it', async () => {
    const { provider } = setup();
    await expect(provider.refresh()).rejects.toThrow(
      'ApiMarketplacePartnerEntityProvider is not connected',
    );
  });
});
