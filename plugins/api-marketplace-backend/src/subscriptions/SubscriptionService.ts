import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { PlanId, planIds } from '@portico/plugin-api-marketplace-common';
import { AuditStore } from '../database/AuditStore';
import type { KeyEvictions } from '../gateway/KeyEvictions';
import { Partner } from '../database/PartnerStore';
import {
  Subscription,
  SubscriptionStatus,
  SubscriptionStore,
} from '../database/SubscriptionStore';
import { ProductService } from '../products/ProductService';

/**
 * Where a paid plan goes to be paid for. Until the billing provider is
 * installed, paid subscriptions wait in `pending_payment`.
 */
export interface PlanActivation {
  statusFor(plan: PlanId): SubscriptionStatus;
}

/** Free plans take effect at once; paid plans wait for checkout. */
export const checkoutRequiredForPaidPlans: PlanActivation = {
  statusFor: plan => (plan === 'free' ? 'active' : 'pending_payment'),
};

/** Self-service subscriptions of a partner to products. */
export class SubscriptionService {
  constructor(
    private readonly subscriptions: SubscriptionStore,
    private readonly products: ProductService,
    private readonly audit: AuditStore,
    private readonly activation: PlanActivation,
    /** Plans and limits live in the gateways' key caches. */
    private readonly evictions?: Pick<KeyEvictions, 'partner'>,
  ) {}

  list(partner: Partner): Promise<Subscription[]> {
    return this.subscriptions.list(partner.id);
  }

  async create(
    partner: Partner,
    actorRef: string,
    productId: string,
    plan: PlanId,
  ): Promise<Subscription> {
    this.assertPlan(plan);
    if (!(await this.products.get(productId))) {
      throw new InputError(`No published product with id '${productId}'`);
    }
    if (await this.subscriptions.liveFor(partner.id, productId)) {
      throw new ConflictError(
        `Already subscribed to '${productId}'; change the plan instead`,
      );
    }
    let subscription: Subscription;
    try {
      subscription = await this.subscriptions.create({
        partnerId: partner.id,
        productId,
        plan,
        status: this.activation.statusFor(plan),
      });
    } catch (error) {
      // The unique live subscription index lost a race with a concurrent request.
      throw new ConflictError(`Already subscribed to '${productId}'`, error);
    }
    await this.evictions?.partner(partner.id);
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'subscription.created',
      targetType: 'subscription',
      targetId: subscription.id,
      details: { productId, plan, status: subscription.status },
    });
    return subscription;
  }

  async changePlan(
    partner: Partner,
    actorRef: string,
    id: string,
    plan: PlanId,
  ): Promise<Subscription> {
    this.assertPlan(plan);
    const existing = await this.subscriptions.get(partner.id, id);
    if (!existing || existing.status === 'canceled')
      throw new NotFoundError(`No subscription with id '${id}'`);
    const updated = (await this.subscriptions.update(partner.id, id, {
      plan,
      status: this.activation.statusFor(plan),
    }))!;
    await this.evictions?.partner(partner.id);
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'subscription.plan-changed',
      targetType: 'subscription',
      targetId: id,
      details: {
        productId: existing.productId,
        from: existing.plan,
        to: plan,
        status: updated.status,
      },
    });
    return updated;
  }

  async cancel(partner: Partner, actorRef: string, id: string): Promise<void> {
    const existing = await this.subscriptions.get(partner.id, id);
    if (!existing || existing.status === 'canceled')
      throw new NotFoundError(`No subscription with id '${id}'`);
    await this.subscriptions.update(partner.id, id, { status: 'canceled' });
    await this.evictions?.partner(partner.id);
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'subscription.canceled',
      targetType: 'subscription',
      targetId: id,
      details: { productId: existing.productId, plan: existing.plan },
    });
  }

  private assertPlan(plan: string): asserts plan is PlanId {
    if (!(planIds as readonly string[]).includes(plan)) {
      throw new InputError(`plan must be one of ${planIds.join(', ')}`);
    }
  }
}
