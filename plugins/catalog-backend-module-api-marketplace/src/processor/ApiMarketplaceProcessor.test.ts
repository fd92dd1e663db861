import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import {
  CatalogProcessorCache,
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { parse as parseYaml } from 'yaml';
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
import { sha256 } from '../ingest/SpecIngester';
import { SpecLinter } from '../lint/SpecLinter';
import { RecordedLint } from '../lint/summarizeLint';
import { ApiMarketplaceProcessor } from './ApiMarketplaceProcessor';

const pricing = {
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
};

const marketplace = {
  id: 'tracking',
  category: 'logistics',
  status: 'active',
  baseUrl: 'https://api.example.com/tracking',
  pricing,
};

function api(spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'tracking' },
    spec: {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'team-logistics',
      marketplace: marketplace as any,
      definition: { $text: './openapi.yaml' } as any,
      ...(spec as any),
    },
  };
}

const fileLocation = (relative: string): LocationSpec => ({
  type: 'file',
  target: path.join(FIXTURES, relative),
});
const trackingLocation = fileLocation('tracking-3.0/catalog-info.yaml');

function memoryCache(): CatalogProcessorCache {
  const values = new Map<string, JsonValue>();
  return {
    get: async <T extends JsonValue>(key: string) =>
      values.get(key) as T | undefined,
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}

describe('ApiMarketplaceProcessor', () => {
  const logger = mockServices.logger.mock();
  const { reader, ingester } = createSpecTools({
    roots: [FIXTURES, os.tmpdir()],
  });
  const linter = new SpecLinter({
    logger,
    waitMs: 60_000,
    timeoutMs: 60_000,
    concurrency: 2,
  });
  const processor = new ApiMarketplaceProcessor({
    reader,
    ingester,
    linter,
    logger,
  });
  afterAll(() => linter.close());
  beforeEach(() => jest.clearAllMocks());

  async function run(
    entity: Entity,
    location: LocationSpec = trackingLocation,
    cache: CatalogProcessorCache = memoryCache(),
  ) {
    const emitted: CatalogProcessorResult[] = [];
    const result = await processor.preProcessEntity(
      entity,
      location,
      item => emitted.push(item),
      location,
      cache,
    );
    const errors = emitted.flatMap(item =>
      item.type === 'error' ? [item.error] : [],
    );
    return { result, emitted, errors };
  }

  const lintOf = (entity: Entity): RecordedLint =>
    JSON.parse(entity.metadata.annotations!['portico.dev/spec-lint']);

  it('runs before the PlaceholderProcessor', () => {
    expect(processor.getPriority()).toBeLessThan(20);
  });

  describe('marketplace block', () => {
    it('passes a valid block without errors', async () => {
      const { errors } = await run(api({}));
      expect(errors).toEqual([]);
    });

    it('emits an input error naming a negative price', async () => {
      const { errors } = await run(
        api({
          marketplace: {
            ...marketplace,
            pricing: {
              ...pricing,
              starter: { ...pricing.starter, monthlyPrice: -5 },
            },
          },
        }),
      );
      expect(errors).toHaveLength(1);
      expect(errors[0].name).toBe('InputError');
      expect(errors[0].message).toContain(
        'spec.marketplace.pricing.starter.monthlyPrice: monthlyPrice must not be negative',
      );
    });

    it('emits an input error naming a missing tier', async () => {
      const { enterprise: _, ...withoutEnterprise } = pricing;
      const { errors } = await run(
        api({ marketplace: { ...marketplace, pricing: withoutEnterprise } }),
      );
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toContain(
        'Invalid marketplace block of tracking: spec.marketplace.pricing.enterprise',
      );
    });

    it('ignores entities without a marketplace block and other kinds', async () => {
      const plain = api({ marketplace: undefined });
      const other = { ...api({}), kind: 'Component' };
      expect((await run(plain)).result).toBe(plain);
      expect((await run(other)).result).toBe(other);
      expect((await run(plain)).emitted).toEqual([]);
    });

    it('does not ingest specs of other types', async () => {
      const asyncApi = api({ type: 'asyncapi' });
      const { result, errors } = await run(asyncApi);
      expect(result).toBe(asyncApi);
      expect(errors).toEqual([]);
    });
  });

  describe('spec ingest', () => {
    it('resolves $text of a file location and bundles relative $refs', async () => {
      const { result, emitted, errors } = await run(api({}));
      expect(errors).toEqual([]);
      const definition = result.spec!.definition as string;
      const document = parseYaml(definition);
      expect(document.openapi).toBe('3.0.3');
      expect(collectRefs(document).every(ref => ref.startsWith('#/'))).toBe(
        true,
      );
      expect(result.metadata.annotations!['portico.dev/spec-hash']).toBe(
        sha256(definition),
      );
      expect(emitted).toEqual([
        {
          type: 'refresh',
          key: `file:${path.join(FIXTURES, 'tracking-3.0/openapi.yaml')}`,
        },
        {
          type: 'refresh',
          key: `file:${path.join(FIXTURES, 'common/components.yaml')}`,
        },
      ]);
      const lint = lintOf(result);
      expect(lint.ruleset).toBe('spectral:oas');
      expect(lint.skipped).toBeUndefined();
      expect(lint.findings.length).toBeLessThanOrEqual(20);
      expect(lint.warnings).toBeGreaterThan(0);
    });

    it.each([
      ['tracking-3.0/openapi.yaml', 'yaml', 'OpenAPI 3.0'],
      ['orders-3.1/openapi.json', 'json', 'OpenAPI 3.1'],
      ['pets-2.0/swagger.json', 'json', 'Swagger 2.0'],
    ])('ingests %s, keeping %s (%s)', async (spec, format) => {
      const { result, errors } = await run(
        api({ definition: { $text: `./${path.basename(spec)}` } }),
        fileLocation(path.join(path.dirname(spec), 'catalog-info.yaml')),
      );
      expect(errors).toEqual([]);
      const definition = result.spec!.definition as string;
      const document =
        format === 'json' ? JSON.parse(definition) : parseYaml(definition);
      expect(collectRefs(document).every(ref => ref.startsWith('#/'))).toBe(
        true,
      );
    });

    it('bundles an inline definition relative to the entity location', async () => {
      const text = await fs.readFile(
        path.join(FIXTURES, 'tracking-3.0/openapi.yaml'),
        'utf8',
      );
      const { result, errors } = await run(api({ definition: text }));
      expect(errors).toEqual([]);
      expect(result.spec!.definition).not.toContain('../common/');
    });

    it('does not block on lint errors, it records them', async () => {
      const text =
        'openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths:\n  /a/{id}:\n    get:\n      responses:\n        "200": { description: ok }\n';
      const { result, errors } = await run(api({ definition: text }));
      expect(errors).toEqual([]);
      expect(result.spec!.definition).toBe(text);
      const lint = lintOf(result);
      expect(lint.errors).toBeGreaterThan(0);
      expect(lint.findings[0]).toEqual(
        expect.objectContaining({ code: 'path-params', severity: 'error' }),
      );
    });

    it('keeps the lint of an unchanged spec in the processor cache', async () => {
      const cache = memoryCache();
      const lint = jest.spyOn(linter, 'lint');
      const first = await run(api({}), trackingLocation, cache);
      expect(lint).toHaveBeenCalledTimes(1);

      // Another processing loop, or a restarted backend with the same state.
      const restarted = new ApiMarketplaceProcessor({
        reader,
        ingester,
        linter,
        logger,
      });
      const emitted: CatalogProcessorResult[] = [];
      const second = await restarted.preProcessEntity(
        api({}),
        trackingLocation,
        item => emitted.push(item),
        trackingLocation,
        cache,
      );
      expect(lint).toHaveBeenCalledTimes(1);
      expect(second.metadata.annotations).toEqual(
        first.result.metadata.annotations,
      );
      lint.mockRestore();
    });

    describe('from url locations', () => {
      let server: SpecServer;
      beforeAll(async () => {
        server = await startSpecServer(FIXTURES);
      });
      afterAll(() => server.close());

      it('reads $text and relative $refs through the UrlReader', async () => {
        const { result, errors } = await run(api({}), {
          type: 'url',
          target: server.url('/tracking-3.0/catalog-info.yaml'),
        });
        expect(errors).toEqual([]);
        expect(result.spec!.definition).toContain('Rotterdam');
        expect(result.spec!.definition).not.toContain('../common/');
      });

      it('takes an already bundled definition as it is', async () => {
        const bundled = JSON.stringify({
          openapi: '3.0.3',
          info: { title: 'From a provider', version: '1' },
          paths: {},
        });
        const { result, errors } = await run(api({ definition: bundled }), {
          type: 'url',
          target: server.url('/provided/openapi.json'),
        });
        expect(errors).toEqual([]);
        expect(result.spec!.definition).toBe(bundled);
        expect(result.metadata.annotations!['portico.dev/spec-hash']).toBe(
          sha256(bundled),
        );
      });
    });
  });

  describe('bad specs', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'marketplace-processor-'));
    });
    afterAll(() => fs.rm(dir, { recursive: true, force: true }));

    /** The one error of an entity, after the checks every error passes. */
    async function ingestError(entity: Entity, location: LocationSpec) {
      const { result, errors } = await run(entity, location);
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toMatch(
        /^Could not ingest the OpenAPI spec of api:default\/tracking: /,
      );
      expect(logger.warn).toHaveBeenCalledWith(errors[0].message);
      // No placeholder is left for the PlaceholderProcessor to fail on again.
      expect(typeof result.spec!.definition).toBe('string');
      return errors[0];
    }

    it('reports invalid YAML', async () => {
      expect(
        await ingestError(
          api({
            definition: 'openapi: 3.0.3\ninfo:\n  title: x\n   version: 1\n',
          }),
          trackingLocation,
        ),
      ).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'spec.definition is not valid YAML: Nested mappings are not allowed in compact mappings at line 3, column 10',
        ),
      });
    });

    it('reports invalid JSON', async () => {
      await fs.writeFile(
        path.join(dir, 'openapi.json'),
        '{ "openapi": "3.0.3", "info": { "title": "x" "version": "1" } }',
      );
      expect(
        await ingestError(api({ definition: { $text: './openapi.json' } }), {
          type: 'file',
          target: path.join(dir, 'catalog-info.yaml'),
        }),
      ).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /openapi\.json is not valid JSON: Expected ',' or '}' after property value/,
        ),
      });
    });

    it('reports unresolvable $refs', async () => {
      expect(
        await ingestError(
          api({ definition: { $text: './broken-refs.yaml' } }),
          fileLocation('bad/catalog-info.yaml'),
        ),
      ).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /broken-refs\.yaml has unresolvable \$refs: \$ref "\.\.\/common\/missing\.yaml#\/components\/schemas\/Thing"/,
        ),
      });
    });

    it.each([
      ['random.yaml', 'is not an OpenAPI document'],
      ['asyncapi.yaml', 'is an AsyncAPI 2.6.0 document, not OpenAPI'],
    ])('reports %s as not OpenAPI', async (file, message) => {
      expect(
        await ingestError(
          api({ definition: { $text: `./${file}` } }),
          fileLocation('bad/catalog-info.yaml'),
        ),
      ).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    });

    it('refuses a 30 MB spec before parsing it', async () => {
      const huge = `openapi: 3.0.3\n# ${'x'.repeat(30 * 1024 * 1024)}\n`;
      expect(
        await ingestError(api({ definition: huge }), trackingLocation),
      ).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'spec.definition is 30 MB, above the limit of 25 MB',
        ),
      });
    });

    it('reports an unreachable spec URL as a general error', async () => {
      const target = await unreachableUrl('/openapi.yaml');
      expect(
        await ingestError(
          api({ definition: { $text: target } }),
          trackingLocation,
        ),
      ).toMatchObject({
        name: 'Error',
        message: expect.stringContaining(`could not read ${target}`),
      });
      const { errors } = await run(api({ definition: { $text: target } }));
      expect(errors[0].name).toBe('Error');
    });

    it('reports a definition that is neither text nor $text', async () => {
      expect(
        await ingestError(
          api({ definition: { $yaml: './openapi.yaml' } }),
          trackingLocation,
        ),
      ).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'spec.definition must be the spec text or a { $text: <path or URL> } placeholder',
        ),
      });
    });

    it('logs a repeated error once and does not affect other entities', async () => {
      const broken = api({ definition: { $text: './nope.yaml' } });
      await run(broken);
      await run(broken);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      const { errors } = await run({
        ...api({}),
        metadata: { name: 'other' },
      });
      expect(errors).toEqual([]);
    });
  });
});
