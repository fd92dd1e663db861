import { createPermission } from '@backstage/plugin-permission-common';

/** Read the marketplace administration views (all partners, revenue). */
export const marketplaceAdminPermission = createPermission({
  name: 'api-marketplace.admin',
  attributes: { action: 'read' },
});

/** Create, rotate and revoke API keys of a partner. */
export const marketplaceKeyManagePermission = createPermission({
  name: 'api-marketplace.key.manage',
  attributes: { action: 'update' },
});

/** See usage and invoices of a partner. */
export const marketplaceBillingReadPermission = createPermission({
  name: 'api-marketplace.billing.read',
  attributes: { action: 'read' },
});

/** Manage members and invitations of a partner. */
export const marketplaceMemberManagePermission = createPermission({
  name: 'api-marketplace.member.manage',
  attributes: { action: 'update' },
});

/** Every permission of the marketplace, for registration with the framework. */
export const marketplacePermissions = [
  marketplaceAdminPermission,
  marketplaceKeyManagePermission,
  marketplaceBillingReadPermission,
  marketplaceMemberManagePermission,
];
