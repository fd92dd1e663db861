import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { marketplaceAdminPermission } from '@portico/plugin-api-marketplace-common';
import { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';

const ownership: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/team-platform'],
  'user:default/ivan': ['user:default/ivan', 'group:default/team-tracking'],
  // An employee who is also a member of a partner organisation.
  'user:default/erin': [
    'user:default/erin',
    'group:default/team-platform',
    'group:partners/acme-freight',
  ],
  // A partner signed in before partner identities had their own namespace.
  'user:default/partner-pat': ['user:default/partner-pat'],
  // Partner identities: a member of Acme Freight, and one in no partner yet.
  'user:partners/pat_at_acme.example': [
    'user:partners/pat_at_acme.example',
    'group:partners/acme-freight',
  ],
  'user:partners/newbie_at_example.org': [
    'user:partners/newbie_at_example.org',
  ],
  // The development guest, made a member of a partner.
  'user:development/guest': [
    'user:development/guest',
    'group:partners/acme-freight',
  ],
  // A partner identity that some catalog edit put into an internal group.
  'user:partners/sneaky_at_example.org': [
    'user:partners/sneaky_at_example.org',
    'group:default/team-platform',
  ],
};

function policy(config: object) {
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: ownership[ref] };
    },
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

// The catalog, to check what a conditional decision lets through.
const entity = (
  kind: string,
  namespace: string,
  name: string,
  spec: object = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace },
  spec,
});
const catalog: Entity[] = [
  entity('API', 'default', 'tracking', {
    type: 'openapi',
    marketplace: { id: 'tracking' },
  }),
  entity('API', 'default', 'internal-ledger', { type: 'openapi' }),
  entity('Component', 'default', 'billing-engine', { type: 'service' }),
  entity('Group', 'default', 'team-platform', { type: 'team', children: [] }),
  entity('User', 'default', 'alice', {
    memberOf: ['group:default/team-platform'],
  }),
  entity('Group', 'partners', 'acme-freight', {
    type: 'partner',
    children: [],
  }),
  entity('User', 'partners', 'pat_at_acme.example', {
    memberOf: ['group:partners/acme-freight'],
  }),
  entity('Group', 'partners', 'globex', { type: 'partner', children: [] }),
  entity('User', 'partners', 'github-583231', {
    memberOf: ['group:partners/globex'],
  }),
  // Same name as a partner's group, other namespace.
  entity('Group', 'default', 'acme-freight', { type: 'team', children: [] }),
];

const rules = Object.values(permissionRules);

function matches(
  criteria: PermissionCriteria<PermissionCondition>,
  target: Entity,
): boolean {
  if ('anyOf' in criteria) return criteria.anyOf.some(c => matches(c, target));
  if ('allOf' in criteria) return criteria.allOf.every(c => matches(c, target));
  if ('not' in criteria) return !matches(criteria.not, target);
  const rule = rules.find(r => r.name === criteria.rule);
  if (!rule) throw new Error(`Unknown rule ${criteria.rule}`);
  return rule.apply(target, criteria.params as never);
}

/** The entities of the catalog that a read decision lets through. */
function visible(decision: PolicyDecision): string[] {
  const refs = (entities: Entity[]) =>
    entities.map(e => stringifyEntityRef(e)).sort();
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW ? refs(catalog) : [];
  }
  expect(decision).toMatchObject({
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
  });
  return refs(catalog.filter(e => matches(decision.conditions, e)));
}

const read = { permission: catalogEntityReadPermission };

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

  it('shows a member of a partner organisation marketplace APIs and their own partner, nothing else', async () => {
    expect(
      visible(
        await p.handle(read, userFor('user:partners/pat_at_acme.example')),
      ),
    ).toEqual([
      'api:default/tracking',
      'group:partners/acme-freight',
      'user:partners/pat_at_acme.example',
    ]);
    // A member whose ref is outside the partners namespace is a partner too.
    expect(
      visible(await p.handle(read, userFor('user:development/guest'))),
    ).toEqual([
      'api:default/tracking',
      'group:partners/acme-freight',
      'user:partners/pat_at_acme.example',
    ]);
  });

  it('shows partners without an organisation only marketplace APIs', async () => {
    for (const ref of [
      'user:partners/newbie_at_example.org',
      'user:default/partner-pat',
    ]) {
      expect(visible(await p.handle(read, userFor(ref)))).toEqual([
        'api:default/tracking',
      ]);
    }
  });

  it('shows staff everything, also staff who are members of a partner', async () => {
    for (const ref of [
      'user:default/alice',
      'user:default/ivan',
      'user:default/erin',
    ]) {
      expect(await p.handle(read, userFor(ref))).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('decides staff by internalGroups when configured; partner groups and identities never count', async () => {
    const strict = policy({
      apiMarketplace: { internalGroups: ['group:default/team-platform'] },
    });
    expect(
      visible(await strict.handle(read, userFor('user:default/ivan'))),
    ).toEqual(['api:default/tracking']);
    expect(
      (await strict.handle(read, userFor('user:default/alice'))).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await strict.handle(read, userFor('user:default/erin'))).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      visible(
        await strict.handle(read, userFor('user:partners/pat_at_acme.example')),
      ),
    ).toEqual([
      'api:default/tracking',
      'group:partners/acme-freight',
      'user:partners/pat_at_acme.example',
    ]);
    // An identity in the partners namespace stays a partner whatever its groups.
    for (const q of [p, strict]) {
      expect(
        visible(
          await q.handle(read, userFor('user:partners/sneaky_at_example.org')),
        ),
      ).toEqual(['api:default/tracking']);
    }
  });

  it('lets partners only read the catalog, and staff do anything', async () => {
    for (const permission of [
      catalogLocationCreatePermission,
      catalogLocationReadPermission,
      catalogEntityRefreshPermission,
      catalogEntityDeletePermission,
    ]) {
      expect(
        (
          await p.handle(
            { permission },
            userFor('user:partners/pat_at_acme.example'),
          )
        ).result,
      ).toBe(AuthorizeResult.DENY);
      expect(
        (await p.handle({ permission }, userFor('user:default/ivan'))).result,
      ).toBe(AuthorizeResult.ALLOW);
    }
  });

  it('allows other permissions and service calls', async () => {
    const other = {
      permission: createPermission({ name: 'other.thing', attributes: {} }),
    };
    expect(
      (await p.handle(other, userFor('user:partners/pat_at_acme.example')))
        .result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await p.handle(other, userFor('user:default/partner-pat'))).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await p.handle({ permission: marketplaceAdminPermission })).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});
