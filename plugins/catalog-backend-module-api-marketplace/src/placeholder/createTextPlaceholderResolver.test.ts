import fs from 'node:fs/promises';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  PlaceholderProcessor,
  PlaceholderProcessorOptions,
} from '@backstage/plugin-catalog-backend';
import { SpecServer, startSpecServer } from '../__testUtils__/specServer';
import { FIXTURES, createSpecTools } from '../__testUtils__/specTools';
import { createTextPlaceholderResolver } from './createTextPlaceholderResolver';

const entity = (definition: unknown): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'plain' },
  spec: { type: 'openapi', definition: definition as string },
});

describe('createTextPlaceholderResolver', () => {
  const { reader, urlReader } = createSpecTools();
  const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
  const fileLocation = {
    type: 'file',
    target: path.join(FIXTURES, 'tracking-3.0/catalog-info.yaml'),
  };
  const processor = (resolvers: PlaceholderProcessorOptions['resolvers']) =>
    new PlaceholderProcessor({ resolvers, reader: urlReader, integrations });
  const ours = processor({ text: createTextPlaceholderResolver(reader) });

  let server: SpecServer;
  beforeAll(async () => {
    server = await startSpecServer(FIXTURES);
  });
  afterAll(() => server.close());

  it('is needed: the stock resolution fails for file locations', () => {
    // What the stock $text resolver does with the entity's location target.
    expect(() =>
      integrations.resolveUrl({
        url: './openapi.yaml',
        base: fileLocation.target,
      }),
    ).toThrow('Invalid URL');
  });

  it('reads relative paths of file locations from disk', async () => {
    const emit = jest.fn();
    const result = await ours.preProcessEntity(
      entity({ $text: './openapi.yaml' }),
      fileLocation,
      emit,
    );
    expect(result.spec?.definition).toBe(
      await fs.readFile(
        path.join(FIXTURES, 'tracking-3.0/openapi.yaml'),
        'utf8',
      ),
    );
    expect(emit).toHaveBeenCalledWith({
      type: 'refresh',
      key: `file:${path.join(FIXTURES, 'tracking-3.0/openapi.yaml')}`,
    });
  });

  it('reads relative paths of url locations through the UrlReader', async () => {
    const emit = jest.fn();
    const result = await ours.preProcessEntity(
      entity({ $text: '../orders-3.1/openapi.json' }),
      { type: 'url', target: server.url('/tracking-3.0/catalog-info.yaml') },
      emit,
    );
    expect(result.spec?.definition).toContain('"openapi": "3.1.0"');
    expect(emit).toHaveBeenCalledWith({
      type: 'refresh',
      key: `url:${server.url('/orders-3.1/openapi.json')}`,
    });
  });

  it('keeps file reads below the catalog file locations', async () => {
    await expect(
      ours.preProcessEntity(
        entity({ $text: '../../../package.json' }),
        fileLocation,
        jest.fn(),
      ),
    ).rejects.toThrow(
      /Placeholder \$text could not read location \.\.\/\.\.\/\.\.\/package\.json, NotAllowedError: .* is outside the directories/,
    );
  });

  it('says which file is missing', async () => {
    await expect(
      ours.preProcessEntity(
        entity({ $text: './nope.yaml' }),
        fileLocation,
        jest.fn(),
      ),
    ).rejects.toThrow(
      /Placeholder \$text could not read location \.\/nope\.yaml, NotFoundError: .*nope\.yaml does not exist/,
    );
  });

  it('leaves other placeholders to their resolvers', async () => {
    const json = jest.fn(async () => ({ resolved: true }));
    const result = await processor({
      text: createTextPlaceholderResolver(reader),
      json,
    }).preProcessEntity(
      {
        ...entity('openapi: 3.0.3'),
        metadata: { name: 'plain', labels: { $json: './labels.json' } as any },
      },
      fileLocation,
      jest.fn(),
    );
    expect(json).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'json', value: './labels.json' }),
    );
    expect(result.metadata.labels).toEqual({ resolved: true });
  });
});
