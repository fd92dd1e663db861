import fs from 'node:fs/promises';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  SpecServer,
  startSpecServer,
  unreachableUrl,
} from '../__testUtils__/specServer';
import {
  FIXTURES,
  collectRefs,
  createSpecTools,
} from '../__testUtils__/specTools';
import { ApiMarketplaceEntityProvider } from './ApiMarketplaceEntityProvider';

const marketplace = (id: string) => ({
  id,
  category: 'logistics',
  status: 'active',
  baseUrl: `https://api.example.com/${id}`,
  pricing: {
    free: { monthlyQuota: 1000, ratePerSecond: 5 },
    starter: {
      monthlyPrice: 49,
      includedCalls: 50000,
      overagePer1000: 0.5,
      ratePerSecond: 25,
    },
    enterprise: {
      monthlyPrice: 499,
      includedCalls: 1000000,
      overagePer1000: 0.2,
      ratePerSecond: 200,
    },
  },
});

describe('ApiMarketplaceEntityProvider', () => {
  let server: SpecServer;
  beforeAll(async () => {
    server = await startSpecServer(FIXTURES);
  });
  afterAll(() => server.close());
  beforeEach(() => server.requests.splice(0));

  function setup(products: Array<{ name: string; openApiSpec: string }>) {
    const logger = mockServices.logger.mock();
    const scheduler = mockServices.scheduler.mock();
    const config = new ConfigReader({
      catalog: {
        providers: {
          apiMarketplace: {
            schedule: { frequency: { minutes: 5 }, timeout: { minutes: 2 } },
            products: products.map(product => ({
              owner: 'group:default/team-logistics',
              system: 'logistics',
              marketplace: marketplace(product.name),
              ...product,
            })),
          },
        },
      },
    });
    const { ingester } = createSpecTools();
    const provider = ApiMarketplaceEntityProvider.fromConfig(config, {
      ingester,
      logger,
      scheduler,
    })!;
    const connection: jest.Mocked<EntityProviderConnection> = {
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    };
    return { provider, connection, logger, scheduler };
  }

  it('schedules a global refresh task when connected', async () => {
    const { provider, connection, scheduler } = setup([]);
    await provider.connect(connection);
    expect(provider.getProviderName()).toBe('ApiMarketplaceEntityProvider');
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'ApiMarketplaceEntityProvider:refresh',
        scope: 'global',
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
      }),
    );
  });

  it('emits bundled API entities and applies no mutation while nothing changed', async () => {
    const tracking = server.url('/tracking-3.0/openapi.yaml');
    const { provider, connection } = setup([
      { name: 'tracking', openApiSpec: tracking },
      { name: 'orders', openApiSpec: server.url('/orders-3.1/openapi.json') },
    ]);
    await provider.connect(connection);
    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    const entities = mutation.type === 'full' ? mutation.entities : [];
    expect(entities.map(e => e.entity.metadata.name)).toEqual([
      'tracking',
      'orders',
    ]);
    const [first] = entities;
    expect(first.locationKey).toBe('ApiMarketplaceEntityProvider');
    expect(first.entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: 'tracking',
        annotations: {
          'backstage.io/managed-by-location': `url:${tracking}`,
          'backstage.io/managed-by-origin-location': `url:${tracking}`,
        },
      },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:default/team-logistics',
        system: 'logistics',
        definition: expect.stringContaining('openapi: 3.0.3'),
        marketplace: marketplace('tracking'),
      },
    });
    const definition = first.entity.spec!.definition as string;
    expect(definition).toContain('Rotterdam');
    expect(definition).not.toContain('../common/');

    // Second run: every document answers 304 Not Modified.
    server.requests.splice(0);
    await provider.refresh();
    expect(server.requests.map(r => r.status)).toEqual([304, 304, 304, 304]);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('applies a full mutation when a referenced document changes', async () => {
    const { provider, connection } = setup([
      {
        name: 'tracking',
        openApiSpec: server.url('/tracking-3.0/openapi.yaml'),
      },
    ]);
    await provider.connect(connection);
    await provider.refresh();
    const components = await fs.readFile(
      path.join(FIXTURES, 'common/components.yaml'),
      'utf8',
    );
    server.set(
      '/common/components.yaml',
      components.replace('Rotterdam', 'Gdańsk'),
    );
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    const mutation = connection.applyMutation.mock.calls[1][0];
    expect(
      mutation.type === 'full' && mutation.entities[0].entity.spec!.definition,
    ).toContain('Gdańsk');
    server.set('/common/components.yaml', components);
  });

  it('keeps the last good entity of a product whose spec breaks or becomes unreachable', async () => {
    const flakyServer = await startSpecServer(FIXTURES);
    const flaky = flakyServer.url('/flaky/openapi.json');
    flakyServer.set(
      '/flaky/openapi.json',
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'Flaky', version: '1' },
        paths: {},
      }),
    );
    const { provider, connection, logger } = setup([
      {
        name: 'tracking',
        openApiSpec: server.url('/tracking-3.0/openapi.yaml'),
      },
      { name: 'flaky', openApiSpec: flaky },
    ]);
    await provider.connect(connection);
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    flakyServer.set('/flaky/openapi.json', '{ "openapi": ');
    await provider.refresh();
    expect(logger.warn).toHaveBeenLastCalledWith(
      `ApiMarketplaceEntityProvider: could not ingest the spec of flaky from ${flaky}, keeping its last good entity: ${flaky} is not valid JSON: Unexpected end of JSON input`,
    );

    await flakyServer.close();
    await provider.refresh();
    expect(logger.warn).toHaveBeenLastCalledWith(
      expect.stringContaining(
        `could not ingest the spec of flaky from ${flaky}, keeping its last good entity: could not read ${flaky}`,
      ),
    );
    // Nothing changed for the catalog: the last good entities stand.
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    // A change elsewhere publishes both, flaky as it last was good.
    const components = await fs.readFile(
      path.join(FIXTURES, 'common/components.yaml'),
      'utf8',
    );
    server.set(
      '/common/components.yaml',
      components.replace('Rotterdam', 'Turku'),
    );
    await provider.refresh();
    const mutation = connection.applyMutation.mock.calls[1][0];
    expect(mutation.type).toBe('full');
    const names =
      mutation.type === 'full'
        ? mutation.entities.map(e => e.entity.metadata.name)
        : [];
    expect(names).toEqual(['tracking', 'flaky']);
    server.set('/common/components.yaml', components);
  });

  it('does not remove a product that never had a good spec, nor break the others', async () => {
    const broken = await unreachableUrl('/openapi.yaml');
    const { provider, connection, logger } = setup([
      {
        name: 'tracking',
        openApiSpec: server.url('/tracking-3.0/openapi.yaml'),
      },
      { name: 'down', openApiSpec: broken },
      { name: 'pets', openApiSpec: server.url('/pets-2.0/swagger.json') },
    ]);
    await provider.connect(connection);
    await provider.refresh();

    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `could not ingest the spec of down from ${broken}, the catalog keeps what it has: could not read ${broken}`,
      ),
    );
    // A full mutation would delete the entity the catalog still has for it.
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation).toEqual({
      type: 'delta',
      added: [
        expect.objectContaining({
          entity: expect.objectContaining({
            metadata: expect.objectContaining({ name: 'tracking' }),
          }),
        }),
        expect.objectContaining({
          entity: expect.objectContaining({
            metadata: expect.objectContaining({ name: 'pets' }),
          }),
        }),
      ],
      removed: [],
    });
    const pets =
      mutation.type === 'delta' ? mutation.added[1].entity : undefined;
    expect(
      collectRefs(JSON.parse(pets!.spec!.definition as string)).every(ref =>
        ref.startsWith('#/'),
      ),
    ).toBe(true);

    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('reads nothing without configuration and refuses bad product config', () => {
    const options = {
      ingester: createSpecTools().ingester,
      logger: mockServices.logger.mock(),
      scheduler: mockServices.scheduler.mock(),
    };
    expect(
      ApiMarketplaceEntityProvider.fromConfig(new ConfigReader({}), options),
    ).toBeUndefined();
    const product = {
      name: 'tracking',
      owner: 'team',
      openApiSpec: 'https://example.com/openapi.yaml',
      marketplace: marketplace('tracking'),
    };
    const config = (products: object[]) =>
      new ConfigReader({
        catalog: { providers: { apiMarketplace: { products } } },
      });
    expect(() =>
      ApiMarketplaceEntityProvider.fromConfig(
        config([{ ...product, openApiSpec: './openapi.yaml' }]),
        options,
      ),
    ).toThrow(
      'catalog.providers.apiMarketplace.products[0].openApiSpec must be an absolute http(s) URL, got "./openapi.yaml"',
    );
    expect(() =>
      ApiMarketplaceEntityProvider.fromConfig(
        config([product, product]),
        options,
      ),
    ).toThrow(
      'catalog.providers.apiMarketplace.products[1].name "tracking" is used twice',
    );
    expect(() =>
      ApiMarketplaceEntityProvider.fromConfig(
        config([{ ...product, name: 'Not valid!' }]),
        options,
      ),
    ).toThrow('is not a valid entity name');
    expect(() =>
      ApiMarketplaceEntityProvider.fromConfig(
        config([{ ...product, owner: undefined }]),
        options,
      ),
    ).toThrow(/owner/);
  });
});
