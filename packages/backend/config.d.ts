export interface Config {
  apiMarketplace?: {
    /** Sign-in of employees and partners (OIDC and GitHub). */
    auth?: {
      /**
       * E-mail domains of the company, e.g. `portico.example`. An OIDC user
       * whose verified e-mail is at one of these domains (exactly, not
       * subdomains) signs in as the catalog `User` whose
       * `spec.profile.email` is that address, and is refused when there is
       * none. Everyone else signs in as a partner identity
       * `user:partners/<local>_at_<domain>` (or `user:partners/email-<hash>`
       * for addresses that do not fit an entity name), which owns only
       * itself and its partner organisations. GitHub users are employees
       * when a catalog `User` has their node id as `github.com/user-id`,
       * and `user:partners/github-<user id>` otherwise.
       *
       * @defaultValue []
       */
      companyDomains?: string[];
    };
  };
}
