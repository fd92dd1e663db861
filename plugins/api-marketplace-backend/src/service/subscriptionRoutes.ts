import { PartnerStore } from '../database/PartnerStore';
import { SubscriptionService } from '../subscriptions/SubscriptionService';
import { ApiRouter } from './ApiRouter';
import { CallerResolver } from './CallerResolver';
import { requireActive, requirePartner } from './access';
import { targetPartner } from './partnerRoutes';

/** Self-service subscriptions. */
export function bindSubscriptionRoutes(
  router: ApiRouter,
  deps: {
    callers: CallerResolver;
    subscriptionService: SubscriptionService;
    partners: PartnerStore;
  },
) {
  const { callers, subscriptionService, partners } = deps;

  router.get('/v1/subscriptions', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = await targetPartner(
      caller,
      partners,
      'readPartner',
      req.query.partnerId,
    );
    res.json({ items: await subscriptionService.list(partner) });
  });

  router.post('/v1/subscriptions', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requireActive(
      requirePartner(caller, 'manageSubscriptions'),
    );
    const { productId, plan } = req.body;
    res
      .status(201)
      .json(
        await subscriptionService.create(
          partner,
          caller.userRef,
          productId,
          plan,
        ),
      );
  });

  router.patch('/v1/subscriptions/:id', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requireActive(
      requirePartner(caller, 'manageSubscriptions'),
    );
    res.json(
      await subscriptionService.changePlan(
        partner,
        caller.userRef,
        req.params.id,
        req.body.plan,
      ),
    );
  });

  router.delete('/v1/subscriptions/:id', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requirePartner(caller, 'manageSubscriptions');
    await subscriptionService.cancel(partner, caller.userRef, req.params.id);
    res.status(204).end();
  });
}
