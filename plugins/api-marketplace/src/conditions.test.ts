import { Entity } from '@backstage/catalog-model';
import { getMarketplaceId, isMarketplaceApi } from './conditions';

const entity = (kind: string, spec: object): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  spec,
});

describe('isMarketplaceApi', () => {
  it('accepts API entities with a marketplace id, whatever the kind casing', () => {
    expect(isMarketplaceApi(entity('API', { marketplace: { id: 'a' } }))).toBe(
      true,
    );
    expect(isMarketplaceApi(entity('api', { marketplace: { id: 'a' } }))).toBe(
      true,
    );
  });

  it('rejects other kinds and APIs without a usable id', () => {
    expect(
      isMarketplaceApi(entity('Component', { marketplace: { id: 'a' } })),
    ).toBe(false);
    expect(isMarketplaceApi(entity('API', {}))).toBe(false);
    expect(isMarketplaceApi(entity('API', { marketplace: { id: 7 } }))).toBe(
      false,
    );
  });

  it('reads the id', () => {
    expect(
      getMarketplaceId(entity('API', { marketplace: { id: 'pay' } })),
    ).toBe('pay');
  });
});
