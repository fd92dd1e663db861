import type { Pricing, PlanId } from './product';

/** A priced period of one subscription, all amounts in integer cents. */
export interface RatedUsage {
  plan: PlanId;
  calls: number;
  includedCalls: number;
  overageCalls: number;
  baseCents: number;
  overageCents: number;
  totalCents: number;
}

/** Converts a decimal price in major units to integer hundredths of a cent. */
function toMicroCents(amount: number): number {
  // Prices carry at most 4 decimals; round away float noise before integer math.
  return Math.round(amount * 10_000);
}

/**
 * Rates one billing period of one subscription. Overage is charged per
 * started block of 1,000 calls above the included calls, so a partner can
 * check an invoice with a pocket calculator. Free plans never cost anything.
 */
export function rateUsage(
  pricing: Pricing,
  plan: PlanId,
  calls: number,
): RatedUsage {
  if (!Number.isInteger(calls) || calls < 0) {
    throw new RangeError(`calls must be a non-negative integer, got ${calls}`);
  }
  if (plan === 'free') {
    return {
      plan,
      calls,
      includedCalls: pricing.free.monthlyQuota,
      overageCalls: 0,
      baseCents: 0,
      overageCents: 0,
      totalCents: 0,
    };
  }
  const tier = pricing[plan];
  const overageCalls = Math.max(0, calls - tier.includedCalls);
  const blocks = Math.ceil(overageCalls / 1000);
  const baseCents = Math.round(toMicroCents(tier.monthlyPrice) / 100);
  const overageCents = Math.round(
    (blocks * toMicroCents(tier.overagePer1000)) / 100,
  );
  return {
    plan,
    calls,
    includedCalls: tier.includedCalls,
    overageCalls,
    baseCents,
    overageCents,
    totalCents: baseCents + overageCents,
  };
}

/** The per-second rate limit and monthly hard quota (if any) of a plan. */
export function planLimits(
  pricing: Pricing,
  plan: PlanId,
): { ratePerSecond: number; hardMonthlyQuota?: number } {
  if (plan === 'free') {
    return {
      ratePerSecond: pricing.free.ratePerSecond,
      hardMonthlyQuota: pricing.free.monthlyQuota,
    };
  }
  return { ratePerSecond: pricing[plan].ratePerSecond };
}
