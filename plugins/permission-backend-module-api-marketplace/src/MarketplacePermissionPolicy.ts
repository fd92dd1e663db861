import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { marketplaceAdminPermission } from '@portico/plugin-api-marketplace-common';

/**
 * The catalog namespace of partner organisations (`group:partners/<slug>`,
 * published by the marketplace's catalog module) and of partner identities
 * (`user:partners/<name>`, issued at sign-in to everyone outside the
 * company's domains).
 */
export const PARTNER_NAMESPACE = 'partners';

type CatalogCriteria = PermissionCriteria<
  PermissionCondition<'catalog-entity'>
>;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The portal's policy with the marketplace installed:
 * - marketplace admins are the users and groups in `apiMarketplace.admins`;
 * - partner users see, in the catalog, only API entities published in the
 *   marketplace, their own partner organisations' `Group` and its `User`
 *   entities, and their own `User` entity; every other catalog permission
 *   (registering, refreshing, deleting, validating, reading locations) is
 *   denied to them;
 * - everything else is allowed, as with the allow-all policy it replaces.
 *
 * A partner user is one whose identity is in the `partners` namespace, or
 * whose groups are all in the `partners` namespace (partner organisations),
 * which includes users without any group. When `apiMarketplace.internalGroups`
 * is set, a user outside the `partners` namespace is internal exactly when
 * they belong to one of those groups.
 */
export class MarketplacePermissionPolicy implements PermissionPolicy {
  static fromConfig(
    config: Config,
    userInfo: UserInfoService,
  ): MarketplacePermissionPolicy {
    const refs = (key: string) =>
      config.getOptionalStringArray(key)?.map(lower);
    return new MarketplacePermissionPolicy(
      userInfo,
      new Set(refs('apiMarketplace.admins') ?? []),
      refs('apiMarketplace.internalGroups'),
    );
  }

  constructor(
    private readonly userInfo: UserInfoService,
    private readonly admins: Set<string>,
    private readonly internalGroups?: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      // Service-to-service calls are governed by backend auth, not by this policy.
      return { result: AuthorizeResult.ALLOW };
    }
    const info = await this.userInfo.getUserInfo(user.credentials);
    const userRef = lower(info.userEntityRef);
    const ownership = info.ownershipEntityRefs.map(lower);

    if (isPermission(request.permission, marketplaceAdminPermission)) {
      const isAdmin = ownership.some(ref => this.admins.has(ref));
      return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }

    if (
      request.permission.name.startsWith('catalog.') &&
      this.isPartner(userRef, ownership)
    ) {
      if (isPermission(request.permission, catalogEntityReadPermission)) {
        return createCatalogConditionalDecision(
          catalogEntityReadPermission,
          partnerCatalogView(userRef, ownership),
        );
      }
      return { result: AuthorizeResult.DENY };
    }

    return { result: AuthorizeResult.ALLOW };
  }

  private isPartner(userRef: string, ownership: string[]): boolean {
    if (parseEntityRef(userRef).namespace === PARTNER_NAMESPACE) {
      return true;
    }
    const groups = ownership
      .map(ref => parseEntityRef(ref))
      .filter(ref => ref.kind === 'group');
    if (this.internalGroups) {
      const internal = this.internalGroups;
      return !groups.some(group =>
        internal.includes(stringifyEntityRef(group)),
      );
    }
    return groups.every(group => group.namespace === PARTNER_NAMESPACE);
  }
}

/**
 * What a partner may read in the catalog: marketplace APIs, the `Group` of
 * each partner organisation they belong to and that group's `User`
 * entities (which name it in `spec.memberOf`), and their own `User`.
 */
function partnerCatalogView(
  userRef: string,
  ownership: string[],
): CatalogCriteria {
  const self = parseEntityRef(userRef);
  const named = (
    kind: string,
    namespace: string,
    name: string,
  ): CatalogCriteria => ({
    allOf: [
      catalogConditions.isEntityKind({ kinds: [kind] }),
      catalogConditions.hasMetadata({ key: 'namespace', value: namespace }),
      catalogConditions.hasMetadata({ key: 'name', value: name }),
    ],
  });
  const partnerGroups = ownership
    .map(ref => parseEntityRef(ref))
    .filter(ref => ref.kind === 'group' && ref.namespace === PARTNER_NAMESPACE);
  return {
    anyOf: [
      catalogConditions.hasSpec({ key: 'marketplace.id' }),
      named('user', self.namespace, self.name),
      ...partnerGroups.flatMap((group): CatalogCriteria[] => [
        named('group', group.namespace, group.name),
        {
          allOf: [
            catalogConditions.isEntityKind({ kinds: ['user'] }),
            catalogConditions.hasSpec({
              key: 'memberOf',
              value: stringifyEntityRef(group),
            }),
          ],
        },
      ]),
    ],
  };
}
