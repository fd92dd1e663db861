import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { Partner, PartnerRole } from '../database/PartnerStore';
import { Caller } from './CallerResolver';

/** What each partner role may do. Internal admins may do everything. */
export const roleGrants = {
  readPartner: ['owner', 'admin', 'developer', 'billing'],
  manageKeys: ['owner', 'admin', 'developer'],
  manageSubscriptions: ['owner', 'admin', 'billing'],
  manageMembers: ['owner', 'admin'],
  readBilling: ['owner', 'admin', 'billing'],
} as const satisfies Record<string, readonly PartnerRole[]>;

export type Grant = keyof typeof roleGrants;

/**
 * The caller's own partner, if the caller's role has the grant. Callers
 * without a partner get 404 (there is nothing of theirs to act on); members
 * without the role get 403.
 */
export function requirePartner(caller: Caller, grant: Grant): Partner {
  if (!caller.membership) {
    throw new NotFoundError('You do not belong to a partner organisation yet');
  }
  const { partner, role } = caller.membership;
  if (!(roleGrants[grant] as readonly PartnerRole[]).includes(role)) {
    throw new NotAllowedError(
      `The ${role} role may not ${grant.replace(
        /[A-Z]/g,
        c => ` ${c.toLocaleLowerCase('en-US')}`,
      )}`,
    );
  }
  return partner;
}

/** Changes are refused for suspended partners; reads and revocations are not. */
export function requireActive(partner: Partner): Partner {
  if (partner.status !== 'active') {
    throw new NotAllowedError(`Partner '${partner.slug}' is suspended`);
  }
  return partner;
}
