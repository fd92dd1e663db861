import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, isError } from '@backstage/errors';
import {
  AuthResolverContext,
  BackstageSignInResult,
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import type { GithubProfile } from '@backstage/plugin-auth-backend-module-github-provider';
import {
  partnerNameForEmail,
  partnerNameForGithubUser,
  partnerOwnership,
  partnerUserRef,
} from './partnerIdentity';

const isNotFound = (error: unknown) =>
  isError(error) && error.name === 'NotFoundError';

/**
 * Signs a partner in as `user:partners/<name>`. Once the marketplace's
 * catalog module publishes that user (as a member of a partner
 * organisation), ownership also comes through its partner groups; before,
 * the partner owns only itself.
 */
export async function signInAsPartner(
  name: string,
  ctx: AuthResolverContext,
): Promise<BackstageSignInResult> {
  const userEntityRef = partnerUserRef(name);
  let ent = [userEntityRef];
  try {
    const { entity } = await ctx.findCatalogUser({ entityRef: userEntityRef });
    const { ownershipEntityRefs } = await ctx.resolveOwnershipEntityRefs(
      entity,
    );
    ent = partnerOwnership(userEntityRef, ownershipEntityRefs);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return ctx.issueToken({ claims: { sub: userEntityRef, ent } });
}

/**
 * OIDC (the company's SSO): a verified e-mail at one of the company's
 * domains signs in as the catalog `User` with that `spec.profile.email`, or
 * not at all. Every other verified e-mail signs in as a partner identity,
 * `user:partners/<local>_at_<domain>`: whatever the catalog holds, an
 * outside address can never become an employee (the stock
 * `emailLocalPartMatchingUserEntityName` made alice@partner.example the
 * employee user:default/alice).
 */
export function createCompanyOrPartnerEmailResolver(options: {
  companyDomains: string[];
}): SignInResolver<unknown> {
  const companyDomains = new Set(options.companyDomains);
  return async ({ profile }, ctx) => {
    // The OIDC module passes the e-mail on only when the IdP verified it.
    if (!profile.email) {
      throw new Error('Login failed, user profile does not contain an email');
    }
    const email = profile.email.trim().toLocaleLowerCase('en-US');
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!companyDomains.has(domain)) {
      return signInAsPartner(partnerNameForEmail(email), ctx);
    }
    try {
      return await ctx.signInWithCatalogUser({
        filter: { kind: 'user', 'spec.profile.email': email },
      });
    } catch (error) {
      if (isNotFound(error)) {
        throw new NotAllowedError(
          `${email} is a company address, but no catalog user has it as spec.profile.email`,
        );
      }
      throw error;
    }
  };
}

const GITHUB_USER_ID_ANNOTATION = 'github.com/user-id';

/**
 * GitHub: a GitHub user whose node id is a catalog `User`'s
 * `github.com/user-id` annotation (exactly, as the stock
 * `userIdMatchingUserEntityAnnotation` matches it) signs in as that user.
 * Everyone else signs in as the partner identity
 * `user:partners/github-<numeric user id>`.
 */
export function createGithubCatalogOrPartnerResolver(): SignInResolver<
  OAuthAuthenticatorResult<GithubProfile>
> {
  return async ({ result }, ctx) => {
    const { id, nodeId } = result.fullProfile;
    if (!id) {
      throw new Error('GitHub user profile does not contain a user id');
    }
    if (nodeId) {
      try {
        const { entity } = await ctx.findCatalogUser({
          annotations: { [GITHUB_USER_ID_ANNOTATION]: nodeId },
        });
        // The catalog matches annotations case-insensitively; node ids are not.
        if (
          entity.metadata.annotations?.[GITHUB_USER_ID_ANNOTATION] === nodeId
        ) {
          const { ownershipEntityRefs } = await ctx.resolveOwnershipEntityRefs(
            entity,
          );
          return ctx.issueToken({
            claims: {
              sub: stringifyEntityRef(entity),
              ent: ownershipEntityRefs,
            },
          });
        }
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return signInAsPartner(partnerNameForGithubUser(id), ctx);
  };
}
