import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { marketplaceAdminPermission } from '@portico/plugin-api-marketplace-common';
import { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';

const ownership: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/team-platform'],
  'user:default/ivan': ['user:default/ivan', 'group:default/team-tracking'],
  'user:default/partner-pat': ['user:default/partner-pat'],
};

function policy(config: object) {
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async credentials => ({
      userEntityRef: (credentials.principal as { userEntityRef: string })
        .userEntityRef,
      ownershipEntityRefs:
        ownership[
          (credentials.principal as { userEntityRef: string }).userEntityRef
        ],
    }),
  });
  return MarketplacePermissionPolicy.fromConfig(
    new ConfigReader(config),
    userInfo,
  );
}

const userFor = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: ownership[ref] },
});

describe('MarketplacePermissionPolicy', () => {
  const p = policy({
    apiMarketplace: { admins: ['group:default/team-platform'] },
  });

  it('makes members of the configured admin groups marketplace admins, nobody else', async () => {
    const request = { permission: marketplaceAdminPermission };
    expect(
      (await p.handle(request, userFor('user:default/alice'))).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect((await p.handle(request, userFor('user:default/ivan'))).result).toBe(
      AuthorizeResult.DENY,
    );
    expect(
      (await p.handle(request, userFor('user:default/partner-pat'))).result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (await policy({}).handle(request, userFor('user:default/alice'))).result,
    ).toBe(AuthorizeResult.DENY);
  });

  it('shows partners only marketplace APIs in the catalog, and staff everything', async () => {
    const request = { permission: catalogEntityReadPermission };
    expect(
      await p.handle(request, userFor('user:default/partner-pat')),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'HAS_SPEC',
        resourceType: 'catalog-entity',
        params: { key: 'marketplace.id' },
      },
    });
    expect((await p.handle(request, userFor('user:default/ivan'))).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('treats members of groups outside internalGroups as partners when configured', async () => {
    const strict = policy({
      apiMarketplace: { internalGroups: ['group:default/team-platform'] },
    });
    const request = { permission: catalogEntityReadPermission };
    expect(
      (await strict.handle(request, userFor('user:default/ivan'))).result,
    ).toBe(AuthorizeResult.CONDITIONAL);
    expect(
      (await strict.handle(request, userFor('user:default/alice'))).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('allows other permissions and service calls', async () => {
    const other = {
      permission: createPermission({ name: 'other.thing', attributes: {} }),
    };
    expect(
      (await p.handle(other, userFor('user:default/partner-pat'))).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await p.handle({ permission: marketplaceAdminPermission })).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});
