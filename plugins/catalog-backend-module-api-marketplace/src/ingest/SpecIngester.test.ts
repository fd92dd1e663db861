import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SpecServer, startSpecServer } from '../__testUtils__/specServer';
import {
  FIXTURES,
  collectRefs,
  createSpecTools,
} from '../__testUtils__/specTools';
import { sha256 } from './SpecIngester';

const file = (relative: string) => ({
  type: 'file' as const,
  target: path.join(FIXTURES, relative),
});

describe('SpecIngester', () => {
  describe('from files', () => {
    const { ingester } = createSpecTools();

    it('bundles OpenAPI 3.0 YAML with relative-file $refs, keeping YAML', async () => {
      const spec = await ingester.ingestLocation(
        file('tracking-3.0/openapi.yaml'),
      );
      expect(spec.format).toBe('yaml');
      expect(spec.specVersion).toBe('OpenAPI 3.0.3');
      expect(spec.hash).toBe(sha256(spec.definition));
      const document = parseYaml(spec.definition);
      const refs = collectRefs(document);
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.every(ref => ref.startsWith('#/'))).toBe(true);
      // The referenced address, with its own internal $ref resolved too.
      const destination =
        document.paths['/shipments/{id}/destination'].get.responses['200']
          .content['application/json'].schema;
      expect(JSON.stringify(document)).toContain('ISO 3166-1 alpha-2 code');
      expect(destination.$ref ?? destination.type).toBeDefined();
      expect(spec.sources).toEqual([
        file('tracking-3.0/openapi.yaml'),
        file('common/components.yaml'),
      ]);
    });

    it('bundles OpenAPI 3.1 JSON, keeping JSON', async () => {
      const spec = await ingester.ingestLocation(
        file('orders-3.1/openapi.json'),
      );
      expect(spec.format).toBe('json');
      expect(spec.specVersion).toBe('OpenAPI 3.1.0');
      const document = JSON.parse(spec.definition);
      expect(collectRefs(document).every(ref => ref.startsWith('#/'))).toBe(
        true,
      );
      expect(document.webhooks.orderShipped).toBeDefined();
      expect(spec.definition).toContain('"Rotterdam"');
    });

    it('bundles Swagger 2.0 JSON that references YAML', async () => {
      const spec = await ingester.ingestLocation(file('pets-2.0/swagger.json'));
      expect(spec.specVersion).toBe('Swagger 2.0');
      expect(spec.format).toBe('json');
      const document = JSON.parse(spec.definition);
      expect(collectRefs(document).every(ref => ref.startsWith('#/'))).toBe(
        true,
      );
      expect(JSON.stringify(document)).toContain('"int64"');
    });

    it('keeps a spec with internal $refs only verbatim', async () => {
      const spec = await ingester.ingestLocation(file('inline/openapi.yaml'));
      const text = await fs.readFile(
        path.join(FIXTURES, 'inline/openapi.yaml'),
        'utf8',
      );
      expect(spec.definition).toBe(text);
      expect(spec.definition).toContain('# Already bundled');
    });

    it('ingests inline text relative to the entity location', async () => {
      const text = await fs.readFile(
        path.join(FIXTURES, 'tracking-3.0/openapi.yaml'),
        'utf8',
      );
      const spec = await ingester.ingestText(
        text,
        file('tracking-3.0/catalog-info.yaml'),
      );
      expect(collectRefs(parseYaml(spec.definition))).not.toContain(
        '../common/components.yaml#/components/schemas/Address',
      );
      expect(spec.sources).toEqual([file('common/components.yaml')]);
    });

    it.each([
      ['bad/random.yaml', 'it has neither an "openapi" nor a "swagger" field'],
      ['bad/asyncapi.yaml', 'is an AsyncAPI 2.6.0 document, not OpenAPI'],
    ])('refuses %s as not OpenAPI', async (name, message) => {
      await expect(ingester.ingestLocation(file(name))).rejects.toThrow(
        message,
      );
    });

    it('names every unresolvable $ref', async () => {
      const error = await ingester
        .ingestLocation(file('bad/broken-refs.yaml'))
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain('has unresolvable $refs');
      expect(error.message).toContain(
        '$ref "../common/missing.yaml#/components/schemas/Thing" at paths./a.get.responses.200.content.application/json.schema',
      );
      expect(error.message).toMatch(/missing\.yaml does not exist/);
      expect(error.message).toContain(
        '$ref "../common/components.yaml#/components/schemas/Nope"',
      );
      expect(error.message).toContain(
        'Token "Nope" does not exist. in ../common/components.yaml',
      );
    });

    it('does not read files outside the allowed roots', async () => {
      const { ingester: confined } = createSpecTools({
        roots: [path.join(FIXTURES, 'bad')],
      });
      await expect(
        confined.ingestLocation(file('bad/escape.yaml')),
      ).rejects.toThrow(/package\.json is outside the directories/);
    });

    describe('with files written by the test', () => {
      let dir: string;
      beforeEach(async () => {
        dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spec-ingester-'));
      });
      afterEach(() => fs.rm(dir, { recursive: true, force: true }));
      const tools = () => createSpecTools({ roots: [dir] });

      it('reports invalid YAML with its position', async () => {
        await fs.writeFile(
          path.join(dir, 'openapi.yaml'),
          'openapi: 3.0.3\ninfo:\n  title: Broken\n   version: 1.0.0\npaths: {}\n',
        );
        const error = await tools()
          .ingester.ingestLocation({
            type: 'file',
            target: path.join(dir, 'openapi.yaml'),
          })
          .catch(e => e);
        expect(error.name).toBe('InputError');
        expect(error.message).toMatch(
          /openapi\.yaml is not valid YAML: Nested mappings are not allowed in compact mappings at line 3, column 10$/,
        );
      });

      it('reports invalid JSON', async () => {
        await fs.writeFile(
          path.join(dir, 'openapi.json'),
          '{ "openapi": "3.0.3", "info": {}, }',
        );
        await expect(
          tools().ingester.ingestLocation({
            type: 'file',
            target: path.join(dir, 'openapi.json'),
          }),
        ).rejects.toThrow(/openapi\.json is not valid JSON: /);
      });

      it('refuses a 30 MB spec before reading it', async () => {
        const target = path.join(dir, 'huge.yaml');
        await fs.writeFile(target, '');
        await fs.truncate(target, 30 * 1024 * 1024);
        await expect(
          tools().ingester.ingestLocation({ type: 'file', target }),
        ).rejects.toThrow('huge.yaml is 30 MB, above the limit of 25 MB');
      });

      it('re-ingests when a referenced file changes', async () => {
        await fs.copyFile(
          path.join(FIXTURES, 'tracking-3.0/openapi.yaml'),
          path.join(dir, 'openapi.yaml'),
        );
        const commonDir = path.join(dir, 'common');
        await fs.mkdir(commonDir);
        const spec = (
          await fs.readFile(path.join(dir, 'openapi.yaml'), 'utf8')
        ).replaceAll('../common/', './common/');
        await fs.writeFile(path.join(dir, 'openapi.yaml'), spec);
        await fs.copyFile(
          path.join(FIXTURES, 'common/components.yaml'),
          path.join(commonDir, 'components.yaml'),
        );
        const { ingester: local } = tools();
        const location = {
          type: 'file' as const,
          target: path.join(dir, 'openapi.yaml'),
        };
        const first = await local.ingestLocation(location);
        expect(await local.ingestLocation(location)).toBe(first);

        const components = path.join(commonDir, 'components.yaml');
        await fs.writeFile(
          components,
          (
            await fs.readFile(components, 'utf8')
          ).replace('Rotterdam', 'Gdańsk'),
        );
        const second = await local.ingestLocation(location);
        expect(second).not.toBe(first);
        expect(second.definition).toContain('Gdańsk');
        expect(second.hash).not.toBe(first.hash);
      });
    });
  });

  describe('from URLs', () => {
    let server: SpecServer;
    beforeAll(async () => {
      server = await startSpecServer(FIXTURES);
    });
    afterAll(() => server.close());
    beforeEach(() => server.requests.splice(0));

    it('resolves relative $refs against the spec URL through the UrlReader', async () => {
      const { ingester } = createSpecTools();
      const spec = await ingester.ingestLocation({
        type: 'url',
        target: server.url('/tracking-3.0/openapi.yaml'),
      });
      expect(
        collectRefs(parseYaml(spec.definition)).every(ref =>
          ref.startsWith('#/'),
        ),
      ).toBe(true);
      expect(server.requests.map(r => [r.path, r.status])).toEqual([
        ['/tracking-3.0/openapi.yaml', 200],
        ['/common/components.yaml', 200],
      ]);
    });

    it('re-checks a cached spec with conditional requests only', async () => {
      const { ingester } = createSpecTools();
      const location = {
        type: 'url' as const,
        target: server.url('/orders-3.1/openapi.json'),
      };
      const first = await ingester.ingestLocation(location);
      server.requests.splice(0);
      expect(await ingester.ingestLocation(location)).toBe(first);
      expect(server.requests.map(r => r.status)).toEqual([304, 304]);
      expect(server.requests.every(r => r.ifNoneMatch)).toBe(true);
    });

    it('does not let a spec from a URL read local files', async () => {
      const { ingester } = createSpecTools();
      const text = JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'Sneaky', version: '1' },
        paths: {
          '/a': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': {
                      schema: {
                        $ref: `file://${FIXTURES}/common/components.yaml#/components/schemas/Address`,
                      },
                    },
                  },
                },
              },
            },
          },
        },
      });
      await expect(
        ingester.ingestText(text, {
          type: 'url',
          target: server.url('/spec.json'),
        }),
      ).rejects.toThrow(
        /components\.yaml is a local file; only specs from file locations may reference files/,
      );
    });

    it('refuses a 30 MB response while streaming it', async () => {
      const { ingester } = createSpecTools();
      server.set('/huge.yaml', Buffer.alloc(30 * 1024 * 1024, 'a'));
      await expect(
        ingester.ingestLocation({
          type: 'url',
          target: server.url('/huge.yaml'),
        }),
      ).rejects.toThrow(
        'huge.yaml is more than 25 MB, above the limit of 25 MB',
      );
    });
  });
});
