import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuditStore } from '../database/AuditStore';
import { Partner, PartnerStore } from '../database/PartnerStore';
import { PartnerService } from '../partners/PartnerService';
import { ApiRouter } from './ApiRouter';
import { Caller, CallerResolver } from './CallerResolver';
import { Grant, requirePartner } from './access';

/**
 * The partner a request acts on: the caller's own, or for marketplace admins
 * any partner named by `?partnerId=`.
 */
export async function targetPartner(
  caller: Caller,
  partners: PartnerStore,
  grant: Grant,
  partnerId?: string,
): Promise<Partner> {
  if (partnerId && partnerId !== caller.membership?.partner.id) {
    if (!caller.isAdmin) {
      throw new NotAllowedError(
        'Only marketplace admins may act on another partner',
      );
    }
    const partner = await partners.get(partnerId);
    if (!partner) throw new NotFoundError(`No partner with id '${partnerId}'`);
    return partner;
  }
  return requirePartner(caller, grant);
}

/** Me, partners, members, invitations and the audit log. */
export function bindPartnerRoutes(
  router: ApiRouter,
  deps: {
    callers: CallerResolver;
    partnerService: PartnerService;
    partners: PartnerStore;
    audit: AuditStore;
    catalog: CatalogService;
  },
) {
  const { callers, partnerService, partners, audit, catalog } = deps;

  /** E-mail addresses of the caller's user entity, for invitation matching. */
  const emailsOf = async (caller: Caller): Promise<string[]> => {
    const entity = await catalog
      .getEntityByRef(caller.userRef, { credentials: caller.credentials })
      .catch(() => undefined);
    const email = (
      entity?.spec as { profile?: { email?: unknown } } | undefined
    )?.profile?.email;
    return typeof email === 'string' ? [email] : [];
  };

  router.get('/v1/me', async (req, res) => {
    const caller = await callers.resolve(req);
    const invitations = caller.membership
      ? []
      : await partnerService.pendingFor(caller, await emailsOf(caller));
    res.json({
      userRef: caller.userRef,
      isAdmin: caller.isAdmin,
      partner: caller.membership && {
        ...caller.membership.partner,
        role: caller.membership.role,
      },
      invitations: invitations.map(
        ({ partnerId: _partnerId, ...invitation }) => invitation,
      ),
    });
  });

  router.post('/v1/partners', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = await partnerService.create(
      caller,
      req.body.name,
      req.body.billingEmail,
    );
    res.status(201).json(partner);
  });

  router.get('/v1/partners/current', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requirePartner(caller, 'readPartner');
    res.json({ ...partner, role: caller.membership!.role });
  });

  router.post('/v1/partners/current/terms', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requirePartner(caller, 'manageMembers');
    res.json(await partnerService.acceptTerms(partner, caller.userRef));
  });

  router.get('/v1/partners/current/members', async (req, res) => {
    const caller = await callers.resolve(req);
    res.json({
      items: await partnerService.members(
        requirePartner(caller, 'readPartner'),
      ),
    });
  });

  router.delete('/v1/partners/current/members/:userRef', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requirePartner(caller, 'manageMembers');
    await partnerService.removeMember(
      partner,
      caller.userRef,
      req.params.userRef,
    );
    res.status(204).end();
  });

  router.get('/v1/partners/current/invitations', async (req, res) => {
    const caller = await callers.resolve(req);
    res.json({
      items: await partnerService.invitations(
        requirePartner(caller, 'manageMembers'),
      ),
    });
  });

  router.post('/v1/partners/current/invitations', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requirePartner(caller, 'manageMembers');
    res
      .status(201)
      .json(await partnerService.invite(partner, caller.userRef, req.body));
  });

  router.delete('/v1/partners/current/invitations/:id', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = requirePartner(caller, 'manageMembers');
    await partnerService.revokeInvitation(
      partner,
      caller.userRef,
      req.params.id,
    );
    res.status(204).end();
  });

  router.post('/v1/invitations/:id/accept', async (req, res) => {
    const caller = await callers.resolve(req);
    await partnerService.acceptInvitation(
      caller,
      await emailsOf(caller),
      req.params.id,
    );
    res.status(204).end();
  });

  router.get('/v1/audit', async (req, res) => {
    const caller = await callers.resolve(req);
    const partner = await targetPartner(
      caller,
      partners,
      'readPartner',
      req.query.partnerId,
    );
    res.json({ items: await audit.list(partner.id) });
  });
}
