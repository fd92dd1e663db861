import { parseApiProduct } from './product';

const valid = {
  id: 'tracking',
  category: 'logistics',
  status: 'active',
  baseUrl: 'https://api.logistics.example.com/tracking/v1',
  tags: ['realtime'],
  pricing: {
    free: { monthlyQuota: 1000, ratePerSecond: 5 },
    starter: {
      monthlyPrice: 49,
      includedCalls: 50000,
      overagePer1000: 0.5,
      ratePerSecond: 25,
    },
    enterprise: {
      monthlyPrice: 499.99,
      includedCalls: 1000000,
      overagePer1000: 0.2125,
      ratePerSecond: 200,
    },
  },
};

describe('parseApiProduct', () => {
  it('accepts a complete block and defaults tags', () => {
    const result = parseApiProduct({ ...valid, tags: undefined });
    expect(result).toEqual({
      success: true,
      product: { ...valid, tags: [] },
    });
  });

  it.each([
    [{ ...valid, id: 'Tracking' }, 'spec.marketplace.id: id must match'],
    [{ ...valid, id: '1abc' }, 'spec.marketplace.id'],
    [
      { ...valid, category: 'food' },
      'spec.marketplace.category: category must be one of',
    ],
    [{ ...valid, status: 'gone' }, 'spec.marketplace.status'],
    [{ ...valid, baseUrl: 'ftp://example.com' }, 'spec.marketplace.baseUrl'],
    [{ ...valid, baseUrl: '/relative' }, 'spec.marketplace.baseUrl'],
    [
      { ...valid, sandboxUrl: 'data:text/html,hello' },
      'spec.marketplace.sandboxUrl',
    ],
    [
      {
        ...valid,
        pricing: {
          ...valid.pricing,
          starter: { ...valid.pricing.starter, monthlyPrice: -1 },
        },
      },
      'spec.marketplace.pricing.starter.monthlyPrice: monthlyPrice must not be negative',
    ],
    [
      {
        ...valid,
        pricing: { free: valid.pricing.free, starter: valid.pricing.starter },
      },
      'spec.marketplace.pricing.enterprise',
    ],
    [
      {
        ...valid,
        pricing: {
          ...valid.pricing,
          free: { monthlyQuota: 10.5, ratePerSecond: 1 },
        },
      },
      'spec.marketplace.pricing.free.monthlyQuota: monthlyQuota must be a whole number',
    ],
    [
      {
        ...valid,
        pricing: {
          ...valid.pricing,
          enterprise: { ...valid.pricing.enterprise, overagePer1000: 0.123456 },
        },
      },
      'spec.marketplace.pricing.enterprise.overagePer1000: overagePer1000 has more than 4 decimals',
    ],
    [{ ...valid, unexpected: true }, 'spec.marketplace'],
  ])('rejects a bad block and names the field (%#)', (block, message) => {
    expect(parseApiProduct(block)).toEqual({
      success: false,
      errors: expect.arrayContaining([expect.stringContaining(message)]),
    });
  });

  it('rejects something that is not an object', () => {
    expect(parseApiProduct('tracking').success).toBe(false);
    expect(parseApiProduct(null).success).toBe(false);
  });
});
