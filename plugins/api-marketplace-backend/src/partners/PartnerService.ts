import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { AuditStore } from '../database/AuditStore';
import {
  Invitation,
  Partner,
  PartnerMember,
  PartnerRole,
  PartnerStore,
  partnerRoles,
} from '../database/PartnerStore';
import { Caller } from '../service/CallerResolver';

const INVITATION_DAYS = 14;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Partner organisations: creation, members, invitations, terms. */
export class PartnerService {
  constructor(
    private readonly partners: PartnerStore,
    private readonly audit: AuditStore,
  ) {}

  async create(
    caller: Caller,
    name: string,
    billingEmail: string,
  ): Promise<Partner> {
    const trimmed = name.trim();
    if (trimmed.length < 2)
      throw new InputError('name must have at least 2 characters');
    if (!EMAIL.test(billingEmail))
      throw new InputError('billingEmail is not an e-mail address');
    if (caller.membership) {
      throw new ConflictError(
        `You already belong to partner '${caller.membership.partner.slug}'`,
      );
    }
    const partner = await this.partners.create({
      name: trimmed,
      billingEmail,
      ownerRef: caller.userRef,
    });
    await this.audit.append({
      partnerId: partner.id,
      actorRef: caller.userRef,
      action: 'partner.created',
      targetType: 'partner',
      targetId: partner.id,
      details: { name: partner.name, slug: partner.slug },
    });
    return partner;
  }

  async acceptTerms(partner: Partner, actorRef: string): Promise<Partner> {
    if (!partner.termsAcceptedAt) {
      await this.partners.acceptTerms(partner.id);
      await this.audit.append({
        partnerId: partner.id,
        actorRef,
        action: 'partner.terms-accepted',
        targetType: 'partner',
        targetId: partner.id,
      });
    }
    return (await this.partners.get(partner.id))!;
  }

  members(partner: Partner): Promise<PartnerMember[]> {
    return this.partners.members(partner.id);
  }

  invitations(partner: Partner): Promise<Invitation[]> {
    return this.partners.invitations(partner.id);
  }

  async invite(
    partner: Partner,
    actorRef: string,
    request: { email?: string; userRef?: string; role: PartnerRole },
  ): Promise<Invitation> {
    if (!(partnerRoles as readonly string[]).includes(request.role)) {
      throw new InputError(`role must be one of ${partnerRoles.join(', ')}`);
    }
    if (request.role === 'owner')
      throw new InputError('Invitations cannot grant the owner role');
    if (!request.email === !request.userRef)
      throw new InputError('Give exactly one of email or userRef');
    if (request.email && !EMAIL.test(request.email))
      throw new InputError('email is not an e-mail address');
    if (request.userRef && !/^user:[^/\s]+\/[^\s]+$/.test(request.userRef)) {
      throw new InputError("userRef must look like 'user:default/name'");
    }
    const invitation = await this.partners.invite({
      partnerId: partner.id,
      email: request.email?.toLocaleLowerCase('en-US'),
      userRef: request.userRef,
      role: request.role,
      invitedBy: actorRef,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86400_000),
    });
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'member.invited',
      targetType: 'invitation',
      targetId: invitation.id,
      details: {
        email: invitation.email,
        userRef: invitation.userRef,
        role: invitation.role,
      },
    });
    return invitation;
  }

  async revokeInvitation(
    partner: Partner,
    actorRef: string,
    id: string,
  ): Promise<void> {
    if (!(await this.partners.revokeInvitation(partner.id, id))) {
      throw new NotFoundError(`No pending invitation with id '${id}'`);
    }
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'member.invitation-revoked',
      targetType: 'invitation',
      targetId: id,
    });
  }

  /** Invitations waiting for the caller, matched by user ref or e-mail. */
  pendingFor(caller: Caller, emails: string[]) {
    return this.partners.invitationsFor(
      caller.userRef,
      emails.map(e => e.toLocaleLowerCase('en-US')),
    );
  }

  async acceptInvitation(
    caller: Caller,
    emails: string[],
    id: string,
  ): Promise<void> {
    const mine = await this.pendingFor(caller, emails);
    const invitation = mine.find(i => i.id === id);
    if (!invitation)
      throw new NotFoundError(`No pending invitation with id '${id}' for you`);
    if (caller.membership) {
      throw new ConflictError(
        `You already belong to partner '${caller.membership.partner.slug}'`,
      );
    }
    await this.partners.acceptInvitation(id, caller.userRef);
    await this.audit.append({
      partnerId: invitation.partnerId,
      actorRef: caller.userRef,
      action: 'member.joined',
      targetType: 'member',
      targetId: caller.userRef,
      details: { role: invitation.role },
    });
  }

  async removeMember(
    partner: Partner,
    actorRef: string,
    userRef: string,
  ): Promise<void> {
    const members = await this.partners.members(partner.id);
    const target = members.find(m => m.userRef === userRef);
    if (!target) throw new NotFoundError(`${userRef} is not a member`);
    if (
      target.role === 'owner' &&
      members.filter(m => m.role === 'owner').length === 1
    ) {
      throw new ConflictError('The last owner cannot be removed');
    }
    await this.partners.removeMember(partner.id, userRef);
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'member.removed',
      targetType: 'member',
      targetId: userRef,
    });
  }
}
