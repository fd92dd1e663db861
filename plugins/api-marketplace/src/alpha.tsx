import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { marketplaceApiRef, MarketplaceClient } from './api';
import { isMarketplaceApi } from './conditions';
import {
  onboardingRouteRef,
  organizationRouteRef,
  productRouteRef,
  rootRouteRef,
} from './routes';

const marketplaceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: marketplaceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MarketplaceClient({ discoveryApi, fetchApi }),
    }),
});

const marketplacePage = PageBlueprint.make({
  params: {
    path: '/api-marketplace',
    title: 'API Marketplace',
    routeRef: convertLegacyRouteRefs({ root: rootRouteRef }).root,
    loader: () =>
      import('./components/Router').then(m => compatWrapper(<m.Router />)),
  },
});

const entityDocsContent = EntityContentBlueprint.make({
  name: 'docs',
  params: {
    path: '/marketplace-docs',
    title: 'Docs',
    filter: isMarketplaceApi,
    loader: () =>
      import('./components/EntityMarketplaceContent').then(m =>
        compatWrapper(<m.EntityMarketplaceDocsContent />),
      ),
  },
});

const entityChangesContent = EntityContentBlueprint.make({
  name: 'changes',
  params: {
    path: '/marketplace-changes',
    title: 'Changes',
    filter: isMarketplaceApi,
    loader: () =>
      import('./components/EntityMarketplaceContent').then(m =>
        compatWrapper(<m.EntityMarketplaceChangesContent />),
      ),
  },
});

const entityKeysContent = EntityContentBlueprint.make({
  name: 'keys',
  params: {
    path: '/marketplace-keys',
    title: 'Keys',
    filter: isMarketplaceApi,
    loader: () =>
      import('./components/EntityMarketplaceContent').then(m =>
        compatWrapper(<m.EntityMarketplaceKeysContent />),
      ),
  },
});

const entityTryItContent = EntityContentBlueprint.make({
  name: 'try-it',
  params: {
    path: '/marketplace-try',
    title: 'Try it',
    filter: isMarketplaceApi,
    loader: () =>
      import('./components/EntityMarketplaceContent').then(m =>
        compatWrapper(<m.EntityMarketplaceTryItContent />),
      ),
  },
});

/**
 * The API marketplace for the new frontend system: the API, the marketplace
 * page (with onboarding and the organisation page) and the Docs, Changes,
 * Keys and Try it tabs of marketplace API entities.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'api-marketplace',
  extensions: [
    marketplaceApi,
    marketplacePage,
    entityDocsContent,
    entityChangesContent,
    entityKeysContent,
    entityTryItContent,
  ],
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    product: productRouteRef,
    onboarding: onboardingRouteRef,
    organization: organizationRouteRef,
  }),
});
