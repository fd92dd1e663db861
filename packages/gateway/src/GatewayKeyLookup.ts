import { PlanId, planLimits } from '@portico/plugin-api-marketplace-common';
import type {
  KeyLookup,
  VerifiableKey,
} from '@portico/plugin-api-marketplace-node';
import { Knex } from 'knex';
import type { GatewayProductSource } from './ProductDirectory';

function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  const date = /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
  return date.toISOString();
}

/**
 * Local adapter of the backend's `DatabaseKeyLookup`, reading the same
 * tables with the same query, but taking product pricing from a
 * {@link GatewayProductSource} instead of the backend's `ProductService`.
 *
 * To be replaced by `DatabaseKeyLookup` itself once
 * `@portico/plugin-api-marketplace-backend` exports it (it takes a
 * `GatewayProductSource` now).
 */
export class GatewayKeyLookup implements KeyLookup {
  constructor(
    private readonly db: Knex,
    private readonly products: GatewayProductSource,
  ) {}

  async findByKeyId(keyId: string): Promise<VerifiableKey | undefined> {
    const row = await this.db('api_keys')
      .join('partners', 'partners.id', 'api_keys.partner_id')
      .where('api_keys.id', keyId)
      .first('api_keys.*', 'partners.status as partner_status');
    if (!row) return undefined;
    const subscriptions: Array<{ product_id: string; plan: PlanId }> =
      await this.db('subscriptions')
        .where({ partner_id: row.partner_id, status: 'active' })
        .select('product_id', 'plan');
    const plans: VerifiableKey['plans'] = {};
    const products = await Promise.all(
      subscriptions.map(s => this.products.get(s.product_id)),
    );
    subscriptions.forEach((subscription, i) => {
      const product = products[i];
      if (!product) return;
      plans[subscription.product_id] = {
        plan: subscription.plan,
        ...planLimits(product.pricing, subscription.plan),
      };
    });
    return {
      id: row.id,
      partnerId: row.partner_id,
      partnerStatus: row.partner_status,
      keyHash: row.key_hash,
      environment: row.environment,
      status: row.status,
      productIds: JSON.parse(row.product_ids),
      allowedIps: row.allowed_ips ? JSON.parse(row.allowed_ips) : [],
      expiresAt: toIso(row.expires_at),
      graceEndsAt: toIso(row.grace_ends_at),
      plans,
    };
  }
}
