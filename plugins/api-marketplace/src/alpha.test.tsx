import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin from './alpha';

const marketplaceApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'tracking' },
  spec: { marketplace: { id: 'tracking' } },
};
const plainApi: Entity = { ...marketplaceApi, spec: {} };

describe('api-marketplace alpha plugin', () => {
  it.each([
    ['entity-content:api-marketplace/docs', '/marketplace-docs', 'Docs'],
    [
      'entity-content:api-marketplace/changes',
      '/marketplace-changes',
      'Changes',
    ],
    ['entity-content:api-marketplace/keys', '/marketplace-keys', 'Keys'],
    ['entity-content:api-marketplace/try-it', '/marketplace-try', 'Try it'],
  ] as const)(
    '%s is a tab of marketplace API entities only',
    (id, path, title) => {
      const tester = createExtensionTester(plugin.getExtension(id));
      expect(tester.get(coreExtensionData.routePath)).toBe(path);
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
      const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
      expect(filter?.(marketplaceApi)).toBe(true);
      expect(filter?.(plainApi)).toBe(false);
    },
  );

  it('mounts the marketplace page at /api-marketplace', () => {
    const tester = createExtensionTester(
      plugin.getExtension('page:api-marketplace'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/api-marketplace');
  });
});
