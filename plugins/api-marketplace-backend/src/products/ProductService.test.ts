import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  apiEntity,
  marketplaceBlock,
  trackingSpec,
} from '../__fixtures__/entities';
import { applyDatabaseMigrations } from '../database/migrations';
import { SpecHistoryStore } from '../database/SpecHistoryStore';
import { ProductService } from './ProductService';
import { SpecHistoryRecorder } from './SpecHistoryRecorder';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'ProductService on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      let entities: Entity[] = [];
      const catalog = catalogServiceMock.mock({
        getEntities: jest.fn(async () => ({ items: entities })),
      });
      const logger = mockServices.logger.mock();
      const store = new SpecHistoryStore(knex);
      const service = ProductService.create({
        catalog,
        auth: mockServices.auth(),
        logger,
        history: new SpecHistoryRecorder(store, logger),
        maxAgeMs: 0,
      });
      return {
        service,
        store,
        logger,
        setEntities: (next: Entity[]) => (entities = next),
      };
    }

    it('records a new spec version with its diff when the spec changes, once', async () => {
      const { service, store, setEntities } = await setup();
      setEntities([apiEntity('tracking', marketplaceBlock)]);
      await service.refresh();
      await service.refresh();
      expect(await store.list('tracking')).toEqual([
        expect.objectContaining({
          version: '2.1.0',
          changes: [],
          breaking: false,
        }),
      ]);

      const changed = trackingSpec
        .replace('version: 2.1.0', 'version: 3.0.0')
        .replace(
          / {2}\/shipments:\n {4}post:[\s\S]*?'201':\n {10}description: Created\n/,
          '',
        );
      setEntities([apiEntity('tracking', marketplaceBlock, changed)]);
      await service.refresh();
      await service.refresh();

      const history = await store.list('tracking');
      expect(history).toHaveLength(2);
      expect(history[0]).toMatchObject({
        version: '3.0.0',
        breaking: true,
        changes: [
          expect.objectContaining({
            kind: 'operation-removed',
            operation: 'POST /shipments',
          }),
        ],
      });
      expect((await service.get('tracking'))?.operationCount).toBe(1);
    });

    it('publishes one product per id and says which entity lost a clash', async () => {
      const { service, logger, setEntities } = await setup();
      setEntities([
        apiEntity('tracking-b', marketplaceBlock),
        apiEntity('tracking-a', marketplaceBlock),
      ]);
      const items = await service.list();
      expect(items.map(p => p.entityRef)).toEqual(['api:default/tracking-a']);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          "Marketplace id 'tracking' of api:default/tracking-b is already used by api:default/tracking-a",
        ),
      );
    });

    it('skips an unreadable spec without hiding the other products', async () => {
      const { service, logger, setEntities } = await setup();
      setEntities([
        apiEntity('tracking', marketplaceBlock),
        apiEntity(
          'rates',
          { ...marketplaceBlock, id: 'rates' },
          'asyncapi: 2.6.0\ninfo: {}',
        ),
        apiEntity(
          'labels',
          { ...marketplaceBlock, id: 'labels' },
          '{ "openapi": ',
        ),
      ]);
      expect((await service.list()).map(p => p.id)).toEqual(['tracking']);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('api:default/rates has an unreadable spec'),
      );
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('api:default/labels has an unreadable spec'),
      );
    });
  },
);
