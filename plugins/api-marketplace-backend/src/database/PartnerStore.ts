import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError } from '@backstage/errors';
import { toIso } from './dates';

export const partnerRoles = ['owner', 'admin', 'developer', 'billing'] as const;
export type PartnerRole = (typeof partnerRoles)[number];

export type Partner = {
  id: string;
  slug: string;
  name: string;
  billingEmail: string;
  status: 'active' | 'suspended';
  termsAcceptedAt?: string;
  createdAt: string;
};

export type PartnerMember = {
  userRef: string;
  role: PartnerRole;
  createdAt: string;
};

export type Invitation = {
  id: string;
  email?: string;
  userRef?: string;
  role: PartnerRole;
  status: 'pending' | 'accepted' | 'revoked';
  invitedBy: string;
  expiresAt: string;
  createdAt: string;
};

function toPartner(row: any): Partner {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    billingEmail: row.billing_email,
    status: row.status,
    termsAcceptedAt: toIso(row.terms_accepted_at),
    createdAt: toIso(row.created_at)!,
  };
}

function toInvitation(row: any): Invitation {
  return {
    id: row.id,
    email: row.email ?? undefined,
    userRef: row.user_ref ?? undefined,
    role: row.role,
    status: row.status,
    invitedBy: row.invited_by,
    expiresAt: toIso(row.expires_at)!,
    createdAt: toIso(row.created_at)!,
  };
}

function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 50)
    // Trim after the cut: a slug is also a catalog entity name (no edge '-').
    .replace(/^-+|-+$/g, '');
  return base || 'partner';
}

function isUniqueViolation(error: unknown): boolean {
  const message = String((error as Error)?.message ?? '');
  return /unique|duplicate/i.test(message) || (error as any)?.code === '23505';
}

/** Partner organisations, their members and invitations. */
export class PartnerStore {
  constructor(private readonly db: Knex) {}

  /** Creates a partner with its first member as owner, atomically. */
  async create(input: {
    name: string;
    billingEmail: string;
    ownerRef: string;
  }): Promise<Partner> {
    const id = randomUUID();
    const base = slugify(input.name);
    try {
      await this.db.transaction(async tx => {
        const taken = await tx('partners')
          .where('slug', 'like', `${base}%`)
          .pluck('slug');
        let slug = base;
        for (let n = 2; taken.includes(slug); n++) slug = `${base}-${n}`;
        await tx('partners').insert({
          id,
          slug,
          name: input.name,
          billing_email: input.billingEmail,
          status: 'active',
        });
        await tx('partner_members').insert({
          partner_id: id,
          user_ref: input.ownerRef,
          role: 'owner',
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${input.ownerRef} already belongs to a partner organisation`,
        );
      }
      throw error;
    }
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Partner | undefined> {
    const row = await this.db('partners').where({ id }).first();
    return row ? toPartner(row) : undefined;
  }

  async list(): Promise<Partner[]> {
    return (await this.db('partners').orderBy('created_at', 'asc')).map(
      toPartner,
    );
  }

  /** The partner and role of a user, if the user is a member anywhere. */
  async membershipOf(
    userRef: string,
  ): Promise<{ partner: Partner; role: PartnerRole } | undefined> {
    const member = await this.db('partner_members')
      .where({ user_ref: userRef })
      .first();
    if (!member) return undefined;
    const partner = await this.get(member.partner_id);
    return partner ? { partner, role: member.role } : undefined;
  }

  async acceptTerms(partnerId: string): Promise<void> {
    await this.db('partners')
      .where({ id: partnerId })
      .whereNull('terms_accepted_at')
      .update({ terms_accepted_at: new Date(), updated_at: new Date() });
  }

  async setStatus(partnerId: string, status: Partner['status']): Promise<void> {
    await this.db('partners')
      .where({ id: partnerId })
      .update({ status, updated_at: new Date() });
  }

  async members(partnerId: string): Promise<PartnerMember[]> {
    const rows = await this.db('partner_members')
      .where({ partner_id: partnerId })
      .orderBy('created_at', 'asc');
    return rows.map(row => ({
      userRef: row.user_ref,
      role: row.role,
      createdAt: toIso(row.created_at)!,
    }));
  }

  async removeMember(partnerId: string, userRef: string): Promise<boolean> {
    return (
      (await this.db('partner_members')
        .where({ partner_id: partnerId, user_ref: userRef })
        .delete()) > 0
    );
  }

  async setMemberRole(
    partnerId: string,
    userRef: string,
    role: PartnerRole,
  ): Promise<boolean> {
    return (
      (await this.db('partner_members')
        .where({ partner_id: partnerId, user_ref: userRef })
        .update({ role })) > 0
    );
  }

  async invite(input: {
    partnerId: string;
    email?: string;
    userRef?: string;
    role: PartnerRole;
    invitedBy: string;
    expiresAt: Date;
  }): Promise<Invitation> {
    const id = randomUUID();
    await this.db('partner_invitations').insert({
      id,
      partner_id: input.partnerId,
      email: input.email ?? null,
      user_ref: input.userRef ?? null,
      role: input.role,
      status: 'pending',
      invited_by: input.invitedBy,
      expires_at: input.expiresAt,
    });
    return toInvitation(
      await this.db('partner_invitations').where({ id }).first(),
    );
  }

  async invitations(partnerId: string): Promise<Invitation[]> {
    const rows = await this.db('partner_invitations')
      .where({ partner_id: partnerId })
      .orderBy('created_at', 'desc');
    return rows.map(toInvitation);
  }

  /** Pending, unexpired invitations addressed to a user (by ref or e-mail). */
  async invitationsFor(
    userRef: string,
    emails: string[],
  ): Promise<Array<Invitation & { partnerId: string }>> {
    const rows = await this.db('partner_invitations')
      .where({ status: 'pending' })
      .andWhere(q => {
        q.where({ user_ref: userRef });
        if (emails.length) q.orWhereIn('email', emails);
      });
    const now = Date.now();
    return rows
      .map(row => ({
        ...toInvitation(row),
        partnerId: row.partner_id as string,
      }))
      .filter(invitation => Date.parse(invitation.expiresAt) > now);
  }

  /** Turns an invitation into a membership, once. */
  async acceptInvitation(invitationId: string, userRef: string): Promise<void> {
    try {
      await this.db.transaction(async tx => {
        const invitation = await tx('partner_invitations')
          .where({ id: invitationId, status: 'pending' })
          .first();
        if (!invitation)
          throw new ConflictError('The invitation is no longer pending');
        await tx('partner_members').insert({
          partner_id: invitation.partner_id,
          user_ref: userRef,
          role: invitation.role,
        });
        await tx('partner_invitations').where({ id: invitationId }).update({
          status: 'accepted',
          accepted_at: new Date(),
          user_ref: userRef,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${userRef} already belongs to a partner organisation`,
        );
      }
      throw error;
    }
  }

  async revokeInvitation(
    partnerId: string,
    invitationId: string,
  ): Promise<boolean> {
    return (
      (await this.db('partner_invitations')
        .where({ id: invitationId, partner_id: partnerId, status: 'pending' })
        .update({ status: 'revoked' })) > 0
    );
  }
}
