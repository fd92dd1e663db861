import { planLimits, rateUsage } from './pricing';
import type { Pricing } from './product';

const pricing: Pricing = {
  free: { monthlyQuota: 1000, ratePerSecond: 5 },
  starter: {
    monthlyPrice: 49,
    includedCalls: 50000,
    overagePer1000: 0.5,
    ratePerSecond: 25,
  },
  enterprise: {
    monthlyPrice: 499.99,
    includedCalls: 1_000_000,
    overagePer1000: 0.0175,
    ratePerSecond: 200,
  },
};

describe('rateUsage', () => {
  it('never charges the free plan', () => {
    expect(rateUsage(pricing, 'free', 999_999).totalCents).toBe(0);
  });

  it('charges only the base price within the included calls', () => {
    expect(rateUsage(pricing, 'starter', 50_000)).toEqual({
      plan: 'starter',
      calls: 50_000,
      includedCalls: 50_000,
      overageCalls: 0,
      baseCents: 4900,
      overageCents: 0,
      totalCents: 4900,
    });
  });

  it('charges every started block of 1,000 overage calls', () => {
    expect(rateUsage(pricing, 'starter', 50_001).overageCents).toBe(50);
    expect(rateUsage(pricing, 'starter', 51_000).overageCents).toBe(50);
    expect(rateUsage(pricing, 'starter', 51_001).overageCents).toBe(100);
  });

  it('rounds sub-cent overage prices only once, on the total', () => {
    // 2,000 blocks at $0.0175 = $35.00 exactly, no float drift.
    const rated = rateUsage(pricing, 'enterprise', 3_000_000);
    expect(rated.baseCents).toBe(49999);
    expect(rated.overageCents).toBe(3500);
    expect(rated.totalCents).toBe(53499);
  });

  it('refuses negative or fractional call counts', () => {
    expect(() => rateUsage(pricing, 'starter', -1)).toThrow(RangeError);
    expect(() => rateUsage(pricing, 'starter', 1.5)).toThrow(RangeError);
  });
});

describe('planLimits', () => {
  it('hard-stops only the free plan', () => {
    expect(planLimits(pricing, 'free')).toEqual({
      ratePerSecond: 5,
      hardMonthlyQuota: 1000,
    });
    expect(planLimits(pricing, 'enterprise')).toEqual({ ratePerSecond: 200 });
  });
});
