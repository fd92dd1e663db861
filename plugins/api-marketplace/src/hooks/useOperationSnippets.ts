import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { marketplaceApiRef } from '../api';

/**
 * Code samples of one operation, fetched only when `load` is called, so a
 * spec with thousands of operations costs nothing until someone asks.
 */
export function useOperationSnippets(productId: string, operationId: string) {
  const api = useApi(marketplaceApiRef);
  return useAsyncFn(
    () => api.getSnippets(productId, operationId),
    [api, productId, operationId],
  );
}
