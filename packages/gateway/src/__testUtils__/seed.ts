import { randomUUID } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { PlanId } from '@portico/plugin-api-marketplace-common';
import {
  KeyEnvironment,
  generateApiKey,
} from '@portico/plugin-api-marketplace-node';
import type { Knex } from 'knex';

/** The backend's own migrations: the gateway reads the tables they create. */
export async function migrateMarketplaceDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@portico/plugin-api-marketplace-backend',
      'migrations',
    ),
  });
}

export interface SeededPartner {
  partnerId: string;
  key: string;
  keyId: string;
}

/**
 * A partner with active subscriptions and one active key, written the way
 * the backend's stores write them.
 */
export async function seedPartner(
  knex: Knex,
  options: {
    plans: Record<string, PlanId>;
    environment?: KeyEnvironment;
    productIds?: string[];
  },
): Promise<SeededPartner> {
  const partnerId = randomUUID();
  const now = new Date();
  await knex('partners').insert({
    id: partnerId,
    slug: `partner-${partnerId.slice(0, 8)}`,
    name: 'Seeded partner',
    billing_email: 'billing@partner.example',
    status: 'active',
  });
  for (const [productId, plan] of Object.entries(options.plans)) {
    await knex('subscriptions').insert({
      id: randomUUID(),
      partner_id: partnerId,
      product_id: productId,
      plan,
      status: 'active',
      current_period_start: now,
      current_period_end: new Date(now.getTime() + 30 * 86_400_000),
      live_product_id: productId,
    });
  }
  const key = await addKey(knex, partnerId, {
    environment: options.environment ?? 'production',
    productIds: options.productIds ?? Object.keys(options.plans),
  });
  return { partnerId, ...key };
}

export async function addKey(
  knex: Knex,
  partnerId: string,
  options: { environment: KeyEnvironment; productIds: string[] },
): Promise<{ key: string; keyId: string }> {
  const generated = generateApiKey(options.environment);
  await knex('api_keys').insert({
    id: generated.keyId,
    partner_id: partnerId,
    name: 'seeded key',
    prefix: generated.prefix,
    key_hash: generated.hash,
    environment: options.environment,
    product_ids: JSON.stringify(options.productIds),
    allowed_ips: null,
    status: 'active',
    created_by: 'user:default/seed',
    created_at: new Date(),
  });
  return { key: generated.key, keyId: generated.keyId };
}
