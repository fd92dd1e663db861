import { Knex } from 'knex';
import { Pricing, planLimits } from '@portico/plugin-api-marketplace-common';
import type {
  KeyLookup,
  VerifiableKey,
} from '@portico/plugin-api-marketplace-node';
import { toIso } from '../database/dates';

/** What the data plane needs to know of a published product. */
export type GatewayProduct = {
  pricing: Pricing;
  /** Production upstream. */
  baseUrl: string;
  /** The product's own sandbox; absent means the built-in mock. */
  sandboxUrl?: string;
};

/**
 * Published products by id. The backend passes its `ProductService`; the
 * standalone gateway can feed it from `GET /v1/products`.
 */
export interface GatewayProductSource {
  get(productId: string): Promise<GatewayProduct | undefined>;
}

/**
 * The verifier's view of a key: one indexed read of the key, its partner and
 * the partner's active subscriptions, with each product's limits.
 */
export class DatabaseKeyLookup implements KeyLookup {
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
    const subscriptions = await this.db('subscriptions')
      .where({ partner_id: row.partner_id, status: 'active' })
      .select('product_id', 'plan');
    const plans: VerifiableKey['plans'] = {};
    for (const subscription of subscriptions) {
      const product = await this.products.get(subscription.product_id);
      if (!product) continue;
      plans[subscription.product_id] = {
        plan: subscription.plan,
        ...planLimits(product.pricing, subscription.plan),
      };
    }
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
