import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'api-marketplace' });

export const productRouteRef = createSubRouteRef({
  id: 'api-marketplace/product',
  parent: rootRouteRef,
  path: '/products/:productId',
});
