import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  Entity,
  KubernetesValidatorFunctions,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ConflictError, NotFoundError } from '@backstage/errors';
import authPlugin from '@backstage/plugin-auth-backend';
import type { GithubProfile } from '@backstage/plugin-auth-backend-module-github-provider';
import {
  AuthResolverCatalogUserQuery,
  AuthResolverContext,
} from '@backstage/plugin-auth-node';
import { authModulePorticoSignIn } from './module';
import {
  partnerNameForEmail,
  partnerNameForGithubUser,
  readCompanyDomains,
} from './partnerIdentity';
import {
  createCompanyOrPartnerEmailResolver,
  createGithubCatalogOrPartnerResolver,
} from './signInResolvers';

const user = (
  namespace: string,
  name: string,
  options: {
    email?: string;
    groups?: string[];
    annotations?: Record<string, string>;
  } = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace, annotations: options.annotations },
  spec: { profile: { email: options.email }, memberOf: [] },
  relations: (options.groups ?? []).map(targetRef => ({
    type: RELATION_MEMBER_OF,
    targetRef,
  })),
});

const catalog: Entity[] = [
  user('default', 'alice', {
    email: 'alice@portico.example',
    groups: ['group:default/employees'],
    annotations: { 'github.com/user-id': 'MDQ6VXNlcjEwMDE=' },
  }),
  // A contractor whose catalog entry carries an outside address.
  user('default', 'bob', {
    email: 'bob@contractor.example',
    groups: ['group:default/employees'],
  }),
  // Published by the catalog module: a member of Acme Freight, whom some
  // catalog edit also put into an internal group.
  user('partners', 'pat_at_acme.example', {
    groups: ['group:partners/acme-freight', 'group:default/employees'],
  }),
];

/** The catalog side of the auth plugin's resolver context, in memory. */
function context(): AuthResolverContext & { issued: object[] } {
  const issued: object[] = [];
  const findCatalogUser = async (query: AuthResolverCatalogUserQuery) => {
    const lower = (s?: string) => s?.toLocaleLowerCase('en-US');
    let found: Entity[];
    if ('entityRef' in query) {
      found = catalog.filter(
        e => stringifyEntityRef(e) === lower(String(query.entityRef)),
      );
    } else if ('annotations' in query) {
      // Case-insensitive, like the catalog.
      found = catalog.filter(e =>
        Object.entries(query.annotations).every(
          ([k, v]) => lower(e.metadata.annotations?.[k]) === lower(v),
        ),
      );
    } else {
      const filter = query.filter as Record<string, string>;
      found = catalog.filter(
        e =>
          lower((e.spec as { profile?: { email?: string } }).profile?.email) ===
          lower(filter['spec.profile.email']),
      );
    }
    if (found.length > 1) throw new ConflictError('multiple matches');
    if (!found.length) throw new NotFoundError('User not found');
    return { entity: found[0] };
  };
  const resolveOwnershipEntityRefs = async (entity: Entity) => ({
    ownershipEntityRefs: [
      stringifyEntityRef(entity),
      ...(entity.relations ?? []).map(r => r.targetRef),
    ],
  });
  const issueToken: AuthResolverContext['issueToken'] = async params => {
    issued.push(params.claims);
    return { token: JSON.stringify(params.claims) };
  };
  return {
    issued,
    issueToken,
    findCatalogUser,
    resolveOwnershipEntityRefs,
    async signInWithCatalogUser(query) {
      const { entity } = await findCatalogUser(query);
      const { ownershipEntityRefs } = await resolveOwnershipEntityRefs(entity);
      return issueToken({
        claims: { sub: stringifyEntityRef(entity), ent: ownershipEntityRefs },
      });
    },
  };
}

const claimsOf = async (result: Promise<{ token: string }>) =>
  JSON.parse((await result).token);

describe('partnerNameForEmail', () => {
  it('is readable for ordinary addresses, and case-insensitive', () => {
    expect(partnerNameForEmail('alice@partner.example')).toBe(
      'alice_at_partner.example',
    );
    expect(partnerNameForEmail(' Pat.Doe@ACME-Freight.example ')).toBe(
      'pat.doe_at_acme-freight.example',
    );
  });

  it('never gives two addresses one name', () => {
    const addresses = [
      'a-b@c.example',
      'a@b-c.example',
      'a_at_b@c.example',
      'a@b.c.example',
      'a.b@c.example',
      'pat+test@acme.example',
      'pat@acme.example',
      `${'x'.repeat(60)}@acme.example`,
      `${'x'.repeat(61)}@acme.example`,
      'weird"quote"@acme.example',
    ];
    const names = addresses.map(partnerNameForEmail);
    expect(new Set(names).size).toBe(addresses.length);
    for (const name of names) {
      expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
    }
    expect(partnerNameForEmail('pat+test@acme.example')).toMatch(
      /^email-[0-9a-f]{40}$/,
    );
  });
});

describe('partnerNameForGithubUser', () => {
  it('uses the numeric user id', () => {
    expect(partnerNameForGithubUser('583231')).toBe('github-583231');
    expect(() => partnerNameForGithubUser('octo-pat')).toThrow(/not numeric/);
  });
});

describe('readCompanyDomains', () => {
  it('reads lower-cased domains, and refuses anything else', () => {
    expect(
      readCompanyDomains(
        new ConfigReader({
          apiMarketplace: { auth: { companyDomains: ['Portico.example'] } },
        }),
      ),
    ).toEqual(['portico.example']);
    expect(readCompanyDomains(new ConfigReader({}))).toEqual([]);
    expect(() =>
      readCompanyDomains(
        new ConfigReader({
          apiMarketplace: { auth: { companyDomains: ['@portico.example'] } },
        }),
      ),
    ).toThrow(
      'apiMarketplace.auth.companyDomains[0] must be an e-mail domain such as example.com, got "@portico.example"',
    );
  });
});

describe('createCompanyOrPartnerEmailResolver', () => {
  const resolver = createCompanyOrPartnerEmailResolver({
    companyDomains: ['portico.example'],
  });
  const signIn = (email: string | undefined, ctx = context()) =>
    claimsOf(resolver({ profile: { email }, result: {} }, ctx));

  it('signs company addresses in as the catalog user with that e-mail', async () => {
    expect(await signIn('Alice@Portico.example')).toEqual({
      sub: 'user:default/alice',
      ent: ['user:default/alice', 'group:default/employees'],
    });
  });

  it('refuses company addresses without a catalog user', async () => {
    await expect(signIn('mallory@portico.example')).rejects.toThrow(
      'mallory@portico.example is a company address, but no catalog user has it as spec.profile.email',
    );
  });

  it('signs everyone else in as a partner identity that owns only itself', async () => {
    // Same local part as the employee alice.
    expect(await signIn('alice@partner.example')).toEqual({
      sub: 'user:partners/alice_at_partner.example',
      ent: ['user:partners/alice_at_partner.example'],
    });
    // Same address as a catalog user outside the company's domains.
    expect(await signIn('bob@contractor.example')).toEqual({
      sub: 'user:partners/bob_at_contractor.example',
      ent: ['user:partners/bob_at_contractor.example'],
    });
    // A look-alike of the company domain.
    expect(await signIn('alice@portico.example.evil.example')).toEqual({
      sub: 'user:partners/alice_at_portico.example.evil.example',
      ent: ['user:partners/alice_at_portico.example.evil.example'],
    });
  });

  it('gives a published partner member its partner groups, and only those', async () => {
    expect(await signIn('pat@acme.example')).toEqual({
      sub: 'user:partners/pat_at_acme.example',
      ent: ['user:partners/pat_at_acme.example', 'group:partners/acme-freight'],
    });
  });

  it('refuses a profile without a verified e-mail', async () => {
    await expect(signIn(undefined)).rejects.toThrow(
      'Login failed, user profile does not contain an email',
    );
  });
});

describe('createGithubCatalogOrPartnerResolver', () => {
  const resolver = createGithubCatalogOrPartnerResolver();
  const signIn = (profile: Partial<GithubProfile>) =>
    claimsOf(
      resolver(
        {
          profile: {},
          result: {
            fullProfile: {
              provider: 'github',
              id: '',
              displayName: 'Someone',
              ...profile,
            },
            session: {
              accessToken: 'gho_test',
              tokenType: 'bearer',
              scope: 'read:user',
            },
          },
        },
        context(),
      ),
    );

  it('signs a GitHub user in as the catalog user with its node id', async () => {
    expect(
      await signIn({
        id: '1001',
        username: 'alice-gh',
        nodeId: 'MDQ6VXNlcjEwMDE=',
      }),
    ).toEqual({
      sub: 'user:default/alice',
      ent: ['user:default/alice', 'group:default/employees'],
    });
  });

  it('signs everyone else in as user:partners/github-<id>, whatever the login', async () => {
    expect(
      await signIn({ id: '583231', username: 'alice', nodeId: 'MDQ6VXNlcjU4' }),
    ).toEqual({
      sub: 'user:partners/github-583231',
      ent: ['user:partners/github-583231'],
    });
    // A node id that equals the employee's only case-insensitively.
    expect(
      await signIn({ id: '1002', username: 'x', nodeId: 'mdq6vxnlcjewmde=' }),
    ).toEqual({
      sub: 'user:partners/github-1002',
      ent: ['user:partners/github-1002'],
    });
  });

  it('refuses a profile without a user id', async () => {
    await expect(signIn({ username: 'x' })).rejects.toThrow(
      'GitHub user profile does not contain a user id',
    );
  });
});

describe('authModulePorticoSignIn', () => {
  it('refuses a signIn block, which would replace its resolvers', async () => {
    await expect(
      startTestBackend({
        features: [
          authPlugin,
          authModulePorticoSignIn,
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              auth: {
                environment: 'production',
                providers: {
                  github: {
                    production: {
                      clientId: 'id',
                      clientSecret: 'secret',
                      signIn: {
                        resolvers: [
                          {
                            resolver: 'usernameMatchingUserEntityName',
                            dangerouslyAllowSignInWithoutUserInCatalog: true,
                          },
                        ],
                      },
                    },
                  },
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /auth\.providers\.github\.production\.signIn is not supported/,
    );
  });
});
