export interface Config {
  apiMarketplace?: {
    /**
     * Users and groups (entity refs) who administer the marketplace: they
     * see every partner, key, usage and invoice.
     * @defaultValue []
     */
    admins?: string[];
    /**
     * Groups whose members are internal staff. Partners see, in the catalog,
     * only API entities published in the marketplace and their own partner
     * organisation's `Group` and `User` entities, and get no other catalog
     * permission (registering, refreshing, deleting, reading locations).
     *
     * Users in the `partners` namespace (partner identities from sign-in) are
     * always partners. Otherwise, when this is unset, a user who belongs to
     * at least one group outside the `partners` namespace (partner
     * organisations) is internal, and everyone else, including users without
     * any group, is a partner. When it is set, a user is internal exactly
     * when they belong to one of these groups.
     */
    internalGroups?: string[];
  };
}
