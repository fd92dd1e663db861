import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { githubAuthenticator } from '@backstage/plugin-auth-backend-module-github-provider';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  AuthProviderFactory,
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { readCompanyDomains } from './partnerIdentity';
import {
  createCompanyOrPartnerEmailResolver,
  createGithubCatalogOrPartnerResolver,
} from './signInResolvers';

/**
 * Refuses `auth.providers.<id>.<env>.signIn` at startup: a configured
 * resolver would replace Portico's, silently.
 */
function withPorticoSignInOnly(
  providerId: string,
  factory: AuthProviderFactory,
): AuthProviderFactory {
  return options => {
    for (const env of options.config.keys()) {
      if (options.config.getConfig(env).has('signIn')) {
        throw new Error(
          `auth.providers.${providerId}.${env}.signIn is not supported: Portico resolves ${providerId} sign-ins itself (company users from the catalog, everyone else as user:partners/…). Remove it; company domains are apiMarketplace.auth.companyDomains.`,
        );
      }
    }
    return factory(options);
  };
}

/**
 * The OIDC and GitHub sign-in providers with Portico's sign-in resolvers, in
 * place of `@backstage/plugin-auth-backend-module-oidc-provider` and
 * `…-github-provider` (install one or the other, not both):
 *
 * - OIDC: verified e-mails at `apiMarketplace.auth.companyDomains` sign in as
 *   the catalog user with that e-mail, all others as
 *   `user:partners/<local>_at_<domain>`;
 * - GitHub: users whose node id is a catalog user's `github.com/user-id`
 *   sign in as that user, all others as `user:partners/github-<user id>`.
 *
 * Partner identities own themselves and their partner organisations
 * (`group:partners/<slug>`) only, and never collide with an employee.
 */
export const authModulePorticoSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'portico-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const companyDomains = readCompanyDomains(config);
        providers.registerProvider({
          providerId: 'oidc',
          factory: withPorticoSignInOnly(
            'oidc',
            createOAuthProviderFactory({
              authenticator: oidcAuthenticator,
              signInResolver: createCompanyOrPartnerEmailResolver({
                companyDomains,
              }),
            }),
          ),
        });
        providers.registerProvider({
          providerId: 'github',
          factory: withPorticoSignInOnly(
            'github',
            createOAuthProviderFactory({
              authenticator: githubAuthenticator,
              signInResolver: createGithubCatalogOrPartnerResolver(),
            }),
          ),
        });
      },
    });
  },
});
