import path from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { parse as parseYaml } from 'yaml';
import { FIXTURES, collectRefs } from './__testUtils__/specTools';
import { sha256 } from './ingest/SpecIngester';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleApiMarketplace } from './module';

/**
 * The module in a real catalog: entities registered from a `file` location,
 * with `$text` placeholders that the stock resolver cannot read.
 */
describe('catalogModuleApiMarketplace in the catalog', () => {
  jest.setTimeout(60_000);

  it('publishes file-located API entities with bundled, linted specs', async () => {
    const processingErrors: string[] = [];
    const errorCollector = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-errors',
      register(reg) {
        reg.registerInit({
          deps: { catalog: catalogProcessingExtensionPoint },
          async init({ catalog }) {
            catalog.setOnProcessingErrorHandler(event => {
              processingErrors.push(...event.errors.map(e => e.message));
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleApiMarketplace,
        errorCollector,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['API', 'Location'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(FIXTURES, 'all.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });

    const base = `http://localhost:${backend.server.port()}/api/catalog`;
    const get = async (name: string): Promise<Entity | undefined> => {
      const response = await fetch(
        `${base}/entities/by-name/api/default/${name}`,
      );
      return response.ok ? response.json() : undefined;
    };
    const waitFor = async (name: string) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const entity = await get(name);
        if (entity) {
          return entity;
        }
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      throw new Error(`${name} was not published`);
    };

    try {
      const tracking = await waitFor('tracking');
      const definition = tracking.spec!.definition as string;
      expect(
        collectRefs(parseYaml(definition)).every(ref => ref.startsWith('#/')),
      ).toBe(true);
      expect(definition).toContain('Rotterdam');
      expect(tracking.metadata.annotations!['portico.dev/spec-hash']).toBe(
        sha256(definition),
      );
      const lint = JSON.parse(
        tracking.metadata.annotations!['portico.dev/spec-lint'],
      );
      expect(lint.ruleset).toBe('spectral:oas');

      // Its $refs are relative to the spec, in another directory.
      const orders = await waitFor('orders');
      const ordersSpec = JSON.parse(orders.spec!.definition as string);
      expect(collectRefs(ordersSpec).every(ref => ref.startsWith('#/'))).toBe(
        true,
      );
      expect(orders.spec!.definition).toContain('Rotterdam');

      // Not a marketplace entity: only the $text resolver of the module.
      const plain = await waitFor('tracking-plain');
      expect(plain.spec!.definition).toContain('../common/components.yaml');
      expect(
        plain.metadata.annotations!['portico.dev/spec-hash'],
      ).toBeUndefined();

      // A bad spec is a processing error on its entity, nothing more.
      for (
        let attempt = 0;
        attempt < 100 && !processingErrors.length;
        attempt++
      ) {
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      expect(processingErrors).toEqual([
        expect.stringMatching(
          /^Could not ingest the OpenAPI spec of api:default\/broken: .*broken-refs\.yaml has unresolvable \$refs: \$ref "\.\.\/common\/missing\.yaml/,
        ),
      ]);
      expect(await get('broken')).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });
});
