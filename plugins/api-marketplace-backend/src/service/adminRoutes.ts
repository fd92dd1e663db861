import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuditStore } from '../database/AuditStore';
import { PartnerStore } from '../database/PartnerStore';
import type { KeyEvictions } from '../gateway/KeyEvictions';
import { ApiRouter } from './ApiRouter';
import { CallerResolver } from './CallerResolver';

/** The marketplace admin console's endpoints. */
export function bindAdminRoutes(
  router: ApiRouter,
  deps: {
    callers: CallerResolver;
    partners: PartnerStore;
    audit: AuditStore;
    evictions: Pick<KeyEvictions, 'partner'>;
  },
) {
  const { callers, partners, audit, evictions } = deps;
  const requireAdmin = async (
    req: Parameters<CallerResolver['resolve']>[0],
  ) => {
    const caller = await callers.resolve(req);
    if (!caller.isAdmin) throw new NotAllowedError('Marketplace admins only');
    return caller;
  };

  router.get('/v1/admin/partners', async (req, res) => {
    await requireAdmin(req);
    res.json({ items: await partners.list() });
  });

  router.put('/v1/admin/partners/:id/status', async (req, res) => {
    const caller = await requireAdmin(req);
    const partner = await partners.get(req.params.id);
    if (!partner)
      throw new NotFoundError(`No partner with id '${req.params.id}'`);
    await partners.setStatus(partner.id, req.body.status);
    await evictions.partner(partner.id);
    await audit.append({
      partnerId: partner.id,
      actorRef: caller.userRef,
      action: `partner.${
        req.body.status === 'active' ? 'reactivated' : 'suspended'
      }`,
      targetType: 'partner',
      targetId: partner.id,
    });
    res.json((await partners.get(partner.id))!);
  });
}
