import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: guest on the embedded default; GitHub and OIDC in production config,
// with Portico's resolvers (employees from the catalog, partners as user:partners/…)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('./auth'));

// catalog, with the marketplace's API entities
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@portico/plugin-catalog-backend-module-api-marketplace'));

// permissions: marketplace admins, and partners who see only marketplace APIs
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@portico/plugin-permission-backend-module-api-marketplace'),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// the API marketplace
backend.add(import('@portico/plugin-api-marketplace-backend'));

backend.start();
