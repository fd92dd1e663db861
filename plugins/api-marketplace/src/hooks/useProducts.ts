import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { marketplaceApiRef, ProductQuery } from '../api';

/**
 * The published products matching a query. While a new query loads, `value`
 * still holds the previous results so the page does not flash.
 */
export function useProducts(query: ProductQuery) {
  const api = useApi(marketplaceApiRef);
  const { category, status, tag, q } = query;
  return useAsync(
    () => api.listProducts({ category, status, tag, q }),
    [api, category, status, tag, q],
  );
}

/** One product with its operations. */
export function useProduct(id: string | undefined) {
  const api = useApi(marketplaceApiRef);
  return useAsync(async () => (id ? api.getProduct(id) : undefined), [api, id]);
}
