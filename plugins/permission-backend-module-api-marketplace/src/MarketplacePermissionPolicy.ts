import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
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
 * The portal's policy with the marketplace installed:
 * - marketplace admins are the users and groups in `apiMarketplace.admins`;
 * - partner users see only API entities published in the marketplace. A
 *   partner user is one who belongs to no catalog group (partners sign in
 *   without a catalog entity), or, when `apiMarketplace.internalGroups` is
 *   set, one who belongs to none of those groups;
 * - everything else is allowed, as with the allow-all policy it replaces.
 */
export class MarketplacePermissionPolicy implements PermissionPolicy {
  static fromConfig(
    config: Config,
    userInfo: UserInfoService,
  ): MarketplacePermissionPolicy {
    const refs = (key: string) =>
      config
        .getOptionalStringArray(key)
        ?.map(ref => ref.toLocaleLowerCase('en-US'));
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
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const ownership = ownershipEntityRefs.map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );

    if (isPermission(request.permission, marketplaceAdminPermission)) {
      const isAdmin = ownership.some(ref => this.admins.has(ref));
      return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }

    if (
      isPermission(request.permission, catalogEntityReadPermission) &&
      this.isPartner(ownership)
    ) {
      return createCatalogConditionalDecision(
        catalogEntityReadPermission,
        catalogConditions.hasSpec({ key: 'marketplace.id' }),
      );
    }

    return { result: AuthorizeResult.ALLOW };
  }

  private isPartner(ownership: string[]): boolean {
    const groups = ownership.filter(
      ref => parseEntityRef(ref).kind === 'group',
    );
    if (this.internalGroups) {
      return !groups.some(group => this.internalGroups!.includes(group));
    }
    return groups.length === 0;
  }
}
