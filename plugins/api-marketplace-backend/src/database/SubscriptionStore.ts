import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import type { PlanId } from '@portico/plugin-api-marketplace-common';
import { toIso } from './dates';

/** `pending_payment`: a paid plan waiting for checkout (the billing seam). */
export type SubscriptionStatus = 'active' | 'pending_payment' | 'canceled';

export type Subscription = {
  id: string;
  partnerId: string;
  productId: string;
  plan: PlanId;
  status: SubscriptionStatus;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  createdAt: string;
  canceledAt?: string;
};

function toSubscription(row: any): Subscription {
  return {
    id: row.id,
    partnerId: row.partner_id,
    productId: row.product_id,
    plan: row.plan,
    status: row.status,
    currentPeriodStart: toIso(row.current_period_start)!,
    currentPeriodEnd: toIso(row.current_period_end)!,
    createdAt: toIso(row.created_at)!,
    canceledAt: toIso(row.canceled_at),
  };
}

/** The calendar month (UTC) that contains `at`: the billing period. */
export function billingPeriodOf(at: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end };
}

/** Partner × product × plan, with the current billing period. */
export class SubscriptionStore {
  constructor(private readonly db: Knex) {}

  async create(input: {
    partnerId: string;
    productId: string;
    plan: PlanId;
    status: SubscriptionStatus;
  }): Promise<Subscription> {
    const id = randomUUID();
    const { start, end } = billingPeriodOf(new Date());
    await this.db('subscriptions').insert({
      id,
      partner_id: input.partnerId,
      product_id: input.productId,
      plan: input.plan,
      status: input.status,
      live_product_id: input.productId,
      current_period_start: start,
      current_period_end: end,
    });
    return (await this.get(input.partnerId, id))!;
  }

  /** A partner's subscription; another partner's id reads as missing. */
  async get(partnerId: string, id: string): Promise<Subscription | undefined> {
    const row = await this.db('subscriptions')
      .where({ id, partner_id: partnerId })
      .first();
    return row ? toSubscription(row) : undefined;
  }

  /** The live (not canceled) subscriptions of a partner. */
  async list(partnerId: string): Promise<Subscription[]> {
    const rows = await this.db('subscriptions')
      .where({ partner_id: partnerId })
      .whereNot({ status: 'canceled' })
      .orderBy('created_at', 'asc');
    return rows.map(toSubscription);
  }

  /** Every subscription a partner ever had, canceled ones included, oldest first. */
  async history(partnerId: string): Promise<Subscription[]> {
    const rows = await this.db('subscriptions')
      .where({ partner_id: partnerId })
      .orderBy('created_at', 'asc');
    return rows.map(toSubscription);
  }

  async liveFor(
    partnerId: string,
    productId: string,
  ): Promise<Subscription | undefined> {
    const row = await this.db('subscriptions')
      .where({ partner_id: partnerId, product_id: productId })
      .whereNot({ status: 'canceled' })
      .first();
    return row ? toSubscription(row) : undefined;
  }

  async update(
    partnerId: string,
    id: string,
    change: { plan?: PlanId; status?: SubscriptionStatus },
  ): Promise<Subscription | undefined> {
    await this.db('subscriptions')
      .where({ id, partner_id: partnerId })
      .update({
        ...(change.plan ? { plan: change.plan } : {}),
        ...(change.status ? { status: change.status } : {}),
        ...(change.status === 'canceled'
          ? { canceled_at: new Date(), live_product_id: null }
          : {}),
        updated_at: new Date(),
      });
    return this.get(partnerId, id);
  }
}
