export interface Config {
  apiMarketplace?: {
    /**
     * Users and groups (entity refs) who administer the marketplace: they
     * see every partner, key, usage and invoice.
     * @defaultValue []
     */
    admins?: string[];
    /**
     * Groups whose members are internal staff. When unset, any user who
     * belongs to a catalog group is internal, and users without one (partners
     * signed in through GitHub or SSO without a catalog entity) are partners,
     * who see only API entities published in the marketplace.
     */
    internalGroups?: string[];
  };
}
