import { createHash } from 'node:crypto';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The catalog namespace of partner identities (`user:partners/<name>`) and
 * partner organisations (`group:partners/<slug>`, published by the
 * marketplace's catalog module). No employee is ever in it.
 */
export const PARTNER_NAMESPACE = 'partners';

const LOCAL_PART = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DOMAIN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 63;

/**
 * The entity name of a partner who signs in with this (verified) e-mail:
 * `pat_at_acme.example` for `Pat@Acme.example`, readable so that partner
 * owners can invite by user ref.
 *
 * One name per address, and one address per name: domains have no `_`, so
 * the last `_at_` splits a name back into local part and domain. Addresses
 * that do not fit the entity name rules (other characters, such as `+`, or
 * more than 63 characters) become `email-<SHA-256 prefix>`, which never
 * contains `_` and so never equals a readable name.
 */
export function partnerNameForEmail(email: string): string {
  const address = email.trim().toLocaleLowerCase('en-US');
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const readable = `${local}_at_${domain}`;
  if (
    at > 0 &&
    LOCAL_PART.test(local) &&
    DOMAIN.test(domain) &&
    readable.length <= MAX_NAME_LENGTH
  ) {
    return readable;
  }
  const hash = createHash('sha256').update(address).digest('hex');
  return `email-${hash.slice(0, 40)}`;
}

/**
 * The entity name of a partner who signs in with GitHub: `github-<user id>`.
 * The numeric id, not the login: a login can be renamed and then registered
 * by someone else, who would inherit the partner membership.
 */
export function partnerNameForGithubUser(userId: string): string {
  if (!/^[1-9][0-9]{0,19}$/.test(userId)) {
    throw new InputError(`GitHub user id "${userId}" is not numeric`);
  }
  return `github-${userId}`;
}

export function partnerUserRef(name: string): string {
  return stringifyEntityRef({
    kind: 'user',
    namespace: PARTNER_NAMESPACE,
    name,
  });
}

/**
 * The refs a partner identity may claim ownership through: itself and
 * partner organisations. A catalog edit that puts a partner into an internal
 * group does not make the partner an owner of that group's entities.
 */
export function partnerOwnership(
  userRef: string,
  ownershipEntityRefs: string[],
): string[] {
  const inPartners = ownershipEntityRefs.filter(ref => {
    try {
      return parseEntityRef(ref).namespace === PARTNER_NAMESPACE;
    } catch {
      return false;
    }
  });
  return [...new Set([userRef, ...inPartners])];
}

/**
 * `apiMarketplace.auth.companyDomains`, lower-cased: e-mail domains whose
 * users are employees, found in the catalog by e-mail.
 */
export function readCompanyDomains(config: Config): string[] {
  const key = 'apiMarketplace.auth.companyDomains';
  return (config.getOptionalStringArray(key) ?? []).map((value, index) => {
    const domain = value.trim().toLocaleLowerCase('en-US');
    if (!DOMAIN.test(domain) || !domain.includes('.')) {
      throw new InputError(
        `${key}[${index}] must be an e-mail domain such as example.com, got "${value}"`,
      );
    }
    return domain;
  });
}
