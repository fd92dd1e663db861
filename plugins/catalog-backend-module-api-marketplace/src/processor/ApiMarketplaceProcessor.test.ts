import { Entity } from '@backstage/catalog-model';
import { ApiMarketplaceProcessor } from './ApiMarketplaceProcessor';

const location = { type: 'file', target: '/repo/catalog-info.yaml' };

function api(marketplace: unknown): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'tracking' },
    spec: { type: 'openapi', marketplace: marketplace as any },
  };
}

const pricing = {
  free: { monthlyQuota: 1000, ratePerSecond: 5 },
  starter: { monthlyPrice: 49, includedCalls: 50000, overagePer1000: 0.5, ratePerSecond: 25 },
  enterprise: { monthlyPrice: 499, includedCalls: 1000000, overagePer1000: 0.2, ratePerSecond: 200 },
};

describe('ApiMarketplaceProcessor', () => {
  const processor = new ApiMarketplaceProcessor();

  it('passes a valid block without errors', async () => {
    const emit = jest.fn();
    const entity = api({
      id: 'tracking',
      category: 'logistics',
      status: 'active',
      baseUrl: 'https://api.example.com/tracking',
      pricing,
    });
    await expect(processor.preProcessEntity(entity, location, emit)).resolves.toBe(entity);
    expect(emit).not.toHaveBeenCalled();
  });

  it('emits an input error naming the bad field', async () => {
    const emit = jest.fn();
    await processor.preProcessEntity(
      api({
        id: 'tracking',
        category: 'logistics',
        status: 'active',
        baseUrl: 'https://api.example.com/tracking',
        pricing: { ...pricing, starter: { ...pricing.starter, monthlyPrice: -5 } },
      }),
      location,
      emit,
    );
    expect(emit).toHaveBeenCalledTimes(1);
    const result = emit.mock.calls[0][0];
    expect(result.type).toBe('error');
    expect(result.error.name).toBe('InputError');
    expect(result.error.message).toContain(
      'spec.marketplace.pricing.starter.monthlyPrice: monthlyPrice must not be negative',
    );
  });

  it('ignores entities without a marketplace block and other kinds', async () => {
    const emit = jest.fn();
    const plain = api(undefined);
    await processor.preProcessEntity(plain, location, emit);
    await processor.preProcessEntity({ ...plain, kind: 'Component' }, location, emit);
    expect(emit).not.toHaveBeenCalled();
  });
});
