import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { marketplaceApiRef, MarketplaceClient } from './api';
import { productRouteRef, rootRouteRef } from './routes';

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
  routes: { root: rootRouteRef, product: productRouteRef },
});

/**
 * The marketplace page with its product pages below it
 * (`/products/:productId`, with `/docs` and `/changes` tabs).
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
