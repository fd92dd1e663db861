import { z } from 'zod';

/** Categories a product can be listed under in the marketplace. */
export const apiCategories = [
  'logistics',
  'payments',
  'data',
  'communication',
  'analytics',
] as const;

/** Lifecycle of a product as partners see it. */
export const apiProductStatuses = ['active', 'beta', 'deprecated'] as const;

/** The tiers a partner can subscribe to. */
export const planIds = ['free', 'starter', 'enterprise'] as const;
export type PlanId = (typeof planIds)[number];

const money = (field: string, maxDecimals: number) =>
  z
    .number({ error: `${field} must be a number` })
    .nonnegative({ error: `${field} must not be negative` })
    .max(1_000_000_000, { error: `${field} is unreasonably large` })
    .refine(
      value => {
        const scaled = value * 10 ** maxDecimals;
        return Math.abs(scaled - Math.round(scaled)) < 1e-6;
      },
      { error: `${field} has more than ${maxDecimals} decimals` },
    );

const positiveInt = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be a whole number` })
    .positive({ error: `${field} must be greater than zero` })
    .max(Number.MAX_SAFE_INTEGER);

const httpUrl = (field: string) =>
  z.url({
    protocol: /^https?$/,
    error: `${field} must be an absolute http(s) URL`,
  });

export const freeTierSchema = z.strictObject({
  monthlyQuota: positiveInt('monthlyQuota'),
  ratePerSecond: positiveInt('ratePerSecond'),
});

export const paidTierSchema = z.strictObject({
  /** Flat monthly price in the marketplace currency (major units, e.g. 49.00). */
  monthlyPrice: money('monthlyPrice', 2),
  includedCalls: positiveInt('includedCalls'),
  /** Price of every started 1,000 calls above `includedCalls`. */
  overagePer1000: money('overagePer1000', 4),
  ratePerSecond: positiveInt('ratePerSecond'),
});

export const pricingSchema = z.strictObject({
  free: freeTierSchema,
  starter: paidTierSchema,
  enterprise: paidTierSchema,
});

/**
 * The marketplace block of an `API` entity, found at `spec.marketplace`.
 * Name, description and version come from the entity and the spec's `info`.
 */
export const apiProductSchema = z.strictObject({
  id: z
    .string({ error: 'id must be a string' })
    .max(63, { error: 'id must be at most 63 characters' })
    .regex(/^[a-z][a-z0-9-]*$/, {
      error: 'id must match ^[a-z][a-z0-9-]*$',
    }),
  category: z.enum(apiCategories, {
    error: `category must be one of ${apiCategories.join(', ')}`,
  }),
  status: z.enum(apiProductStatuses, {
    error: `status must be one of ${apiProductStatuses.join(', ')}`,
  }),
  baseUrl: httpUrl('baseUrl'),
  sandboxUrl: httpUrl('sandboxUrl').optional(),
  tags: z
    .array(z.string().min(1).max(63), {
      error: 'tags must be a list of strings',
    })
    .max(32)
    .default([]),
  pricing: pricingSchema,
});

export type FreeTier = z.infer<typeof freeTierSchema>;
export type PaidTier = z.infer<typeof paidTierSchema>;
export type Pricing = z.infer<typeof pricingSchema>;
export type ApiProduct = z.infer<typeof apiProductSchema>;
export type ApiCategory = (typeof apiCategories)[number];
export type ApiProductStatus = (typeof apiProductStatuses)[number];

/** Result of {@link parseApiProduct}: the product, or one message per bad field. */
export type ApiProductParseResult =
  | { success: true; product: ApiProduct }
  | { success: false; errors: string[] };

/**
 * Validates a marketplace block. Every error names the field by its path below
 * `spec.marketplace`, e.g. `pricing.starter.monthlyPrice: must not be negative`.
 */
export function parseApiProduct(block: unknown): ApiProductParseResult {
  const result = apiProductSchema.safeParse(block);
  if (result.success) {
    return { success: true, product: result.data };
  }
  return {
    success: false,
    errors: result.error.issues.map(issue => {
      const path = ['spec', 'marketplace', ...issue.path.map(String)].join('.');
      return `${path}: ${issue.message}`;
    }),
  };
}
