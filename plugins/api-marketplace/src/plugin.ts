import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { marketplaceApiRef, MarketplaceClient } from './api';
import {
  onboardingRouteRef,
  organizationRouteRef,
  productRouteRef,
  rootRouteRef,
} from './routes';

/** The API marketplace frontend plugin. */
export const apiMarketplacePlugin = createPlugin({
  id: 'api-marketplace',
  apis: [
    createApiFactory({
      api: marketplaceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MarketplaceClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    product: productRouteRef,
    onboarding: onboardingRouteRef,
    organization: organizationRouteRef,
  },
});

/**
 * The marketplace page with its product pages below it
 * (`/products/:productId`, with `/docs`, `/try` and `/changes` tabs), the onboarding
 * flow (`/onboarding`) and the organisation page (`/organization`).
 */
export const ApiMarketplacePage = apiMarketplacePlugin.provide(
  createRoutableExtension({
    name: 'ApiMarketplacePage',
    component: () => import('./components/Router').then(m => m.Router),
    mountPoint: rootRouteRef,
  }),
);

/** The Docs tab for an API entity page: downloads and operations. */
export const EntityMarketplaceDocsContent = apiMarketplacePlugin.provide(
  createComponentExtension({
    name: 'EntityMarketplaceDocsContent',
    component: {
      lazy: () =>
        import('./components/EntityMarketplaceContent').then(
          m => m.EntityMarketplaceDocsContent,
        ),
    },
  }),
);

/** The Changes tab for an API entity page: spec versions and their diffs. */
export const EntityMarketplaceChangesContent = apiMarketplacePlugin.provide(
  createComponentExtension({
    name: 'EntityMarketplaceChangesContent',
    component: {
      lazy: () =>
        import('./components/EntityMarketplaceContent').then(
          m => m.EntityMarketplaceChangesContent,
        ),
    },
  }),
);

/**
 * The Keys tab for an API entity page: the partner's keys scoped to the API,
 * with create prefilled to it.
 */
export const EntityMarketplaceKeysContent = apiMarketplacePlugin.provide(
  createComponentExtension({
    name: 'EntityMarketplaceKeysContent',
    component: {
      lazy: () =>
        import('./components/EntityMarketplaceContent').then(
          m => m.EntityMarketplaceKeysContent,
        ),
    },
  }),
);

/**
 * The Try it tab for an API entity page: a form per operation, the partner's
 * sandbox keys picked by id, the response and this request as code.
 */
export const EntityMarketplaceTryItContent = apiMarketplacePlugin.provide(
  createComponentExtension({
    name: 'EntityMarketplaceTryItContent',
    component: {
      lazy: () =>
        import('./components/EntityMarketplaceContent').then(
          m => m.EntityMarketplaceTryItContent,
        ),
    },
  }),
);
