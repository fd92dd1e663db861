import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import apiMarketplacePlugin from '@portico/plugin-api-marketplace-backend';
import catalogModuleApiMarketplace from '@portico/plugin-catalog-backend-module-api-marketplace';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

/**
 * What an API team does to publish an API: drop a catalog-info.yaml and its
 * spec into a directory the catalog watches. The next catalog refresh makes
 * it a marketplace product — no other step.
 */
describe('registering an API by dropping files into a catalog location', () => {
  jest.setTimeout(120_000);

  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-registry-'));
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  /** Copies one of the examples (catalog-info.yaml + spec) into `apis/`. */
  async function dropIn(example: string, overrides: Record<string, string>) {
    const target = path.join(root, 'apis', example);
    await fs.cp(path.join(EXAMPLES, example), target, { recursive: true });
    const infoPath = path.join(target, 'catalog-info.yaml');
    let info = await fs.readFile(infoPath, 'utf8');
    for (const [from, to] of Object.entries(overrides)) {
      info = info.split(from).join(to);
    }
    await fs.writeFile(infoPath, info);
  }

  it('publishes a dropped-in API on the next refresh', async () => {
    await fs.mkdir(path.join(root, 'apis'));
    await dropIn('pickups', {});

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleApiMarketplace,
        apiMarketplacePlugin,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['API', 'Location'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(root, 'apis', '*', 'catalog-info.yaml'),
                },
              ],
            },
            apiMarketplace: { productCacheMs: 0 },
          },
        }),
      ],
    });

    const listIds = async (): Promise<string[]> => {
      const response = await fetch(
        `http://localhost:${backend.server.port()}/api/api-marketplace/v1/products`,
        { headers: { Authorization: mockCredentials.user.header() } },
      );
      expect(response.status).toBe(200);
      const body = await response.json();
      return body.items.map((item: { id: string }) => item.id).sort();
    };
    const waitForIds = async (expected: string[]) => {
      let last: string[] = [];
      for (let attempt = 0; attempt < 240; attempt++) {
        const ids = await listIds();
        if (expected.every(id => ids.includes(id))) return ids;
        last = ids;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      throw new Error(`expected ${expected} in the marketplace, got ${last}`);
    };

    try {
      expect(await waitForIds(['pickups'])).toEqual(['pickups']);

      // The team's whole change: a new directory with catalog-info + spec.
      await dropIn('returns', {});
      expect(await waitForIds(['pickups', 'returns'])).toEqual([
        'pickups',
        'returns',
      ]);

      const detail = await fetch(
        `http://localhost:${backend.server.port()}/api/api-marketplace/v1/products/returns`,
        { headers: { Authorization: mockCredentials.user.header() } },
      ).then(response => response.json());
      expect(detail.operations.length).toBeGreaterThan(0);
      expect(detail.lint).toBeDefined();
    } finally {
      await backend.stop();
    }
  });
});
