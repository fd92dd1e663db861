import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { marketplaceApiRef, UsageQuery } from '../api';

/** The usage of the caller's partner for a period. */
export function useUsage(query: UsageQuery) {
  const api = useApi(marketplaceApiRef);
  const { from, to, granularity, productId, environment } = query;
  return useAsyncRetry(
    () => api.getUsage({ from, to, granularity, productId, environment }),
    [api, from, to, granularity, productId, environment],
  );
}
