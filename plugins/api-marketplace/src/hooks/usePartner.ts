import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { marketplaceApiRef } from '../api';

/** The signed-in user, their partner and pending invitations. */
export function useMe() {
  const api = useApi(marketplaceApiRef);
  return useAsyncRetry(() => api.getMe(), [api]);
}

/** The members of the caller's partner. */
export function useMembers() {
  const api = useApi(marketplaceApiRef);
  return useAsyncRetry(() => api.listMembers(), [api]);
}

/** The pending invitations of the caller's partner. */
export function useInvitations() {
  const api = useApi(marketplaceApiRef);
  return useAsyncRetry(() => api.listInvitations(), [api]);
}

/** The subscriptions of the caller's partner. */
export function useSubscriptions() {
  const api = useApi(marketplaceApiRef);
  return useAsyncRetry(() => api.listSubscriptions(), [api]);
}

/**
 * The API keys of the caller's partner; with a product id, only the keys
 * scoped to that product.
 */
export function useKeys(productId?: string) {
  const api = useApi(marketplaceApiRef);
  return useAsyncRetry(async () => {
    const keys = await api.listKeys();
    return productId
      ? keys.filter(key => key.productIds.includes(productId))
      : keys;
  }, [api, productId]);
}

/** The audit log of the caller's partner, newest first as the server sends it. */
export function useAuditEvents() {
  const api = useApi(marketplaceApiRef);
  return useAsyncRetry(() => api.listAuditEvents(), [api]);
}
