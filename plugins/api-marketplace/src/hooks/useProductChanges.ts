import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { marketplaceApiRef } from '../api';

/** The spec versions of a product, newest first. */
export function useProductChanges(id: string) {
  const api = useApi(marketplaceApiRef);
  return useAsync(() => api.listChanges(id), [api, id]);
}
