import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'api-marketplace' });

export const productRouteRef = createSubRouteRef({
  id: 'api-marketplace/product',
  parent: rootRouteRef,
  path: '/products/:productId',
});

export const onboardingRouteRef = createSubRouteRef({
  id: 'api-marketplace/onboarding',
  parent: rootRouteRef,
  path: '/onboarding',
});

export const organizationRouteRef = createSubRouteRef({
  id: 'api-marketplace/organization',
  parent: rootRouteRef,
  path: '/organization',
});
