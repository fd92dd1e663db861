import { PartnerStore } from '../database/PartnerStore';
import { KeyService } from '../keys/KeyService';
import { ApiRouter } from './ApiRouter';
import { CallerResolver } from './CallerResolver';
import { requireActive, requirePartner } from './access';
import { targetPartner } from './partnerRoutes';

/** Creating, listing, rotating and revoking API keys. */
export function bindKeyRoutes(
  router: ApiRouter,
  deps: {
    callers: CallerResolver;
    keyService: KeyService;
    partners: PartnerStore;
  },
) {
  const { callers, keyService, partners } = deps;

  router.get('/v1/keys', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = await targetPartner(
      caller,
      partners,
      'readPartner',
      req.query.partnerId,
    );
    res.json({ items: await keyService.list(partner) });
  });

  router.post('/v1/keys', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requireActive(requirePartner(caller, 'manageKeys'));
    res
      .status(201)
      .json(await keyService.create(partner, caller.userRef, req.body));
  });

  router.post('/v1/keys/:id/rotate', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requireActive(requirePartner(caller, 'manageKeys'));
    res.json(
      await keyService.rotate(
        partner,
        caller.userRef,
        req.params.id,
        req.body?.gracePeriodHours,
      ),
    );
  });

  router.delete('/v1/keys/:id', async (req, res) => {
    const caller = await callers.resolve(req);
    // Suspended partners may still revoke: revocation only ever reduces access.
    const partner = requirePartner(caller, 'manageKeys');
    await keyService.revoke(partner, caller.userRef, req.params.id);
    res.status(204).end();
  });
}
