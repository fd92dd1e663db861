import { PartnerStore } from '../database/PartnerStore';
import { UsageService } from '../usage/UsageService';
import { ApiRouter } from './ApiRouter';
import { CallerResolver } from './CallerResolver';
import { targetPartner } from './partnerRoutes';

/** A partner's usage: every member may read it, like keys and subscriptions. */
export function bindUsageRoutes(
  router: ApiRouter,
  deps: {
    callers: CallerResolver;
    partners: PartnerStore;
    usageService: UsageService;
  },
) {
  const { callers, partners, usageService } = deps;

  router.get('/v1/usage', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = await targetPartner(
      caller,
      partners,
      'readPartner',
      req.query.partnerId,
    );
    res.json(
      await usageService.report({
        partnerId: partner.id,
        from: req.query.from,
        to: req.query.to,
        granularity: req.query.granularity,
        productId: req.query.productId,
        environment: req.query.environment,
      }),
    );
  });
}
