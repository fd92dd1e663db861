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
 * scoped to that product. With `enabled: false` (no partner yet) nothing is
 * asked and the list is empty.
 */
export function useKeys(
  productId?: string,
  options: { enabled?: boolean } = {},
) {
  const api = useApi(marketplaceApiRef);
  const enabled = options.enabled ?? true;
  return useAsyncRetry(async () => {
    if (!enabled) return [];
    const keys = await api.listKeys();
    return productId
      ? keys.filter(key => key.productIds.includes(productId))
      : keys;
  }, [api, productId, enabled]);
}

/** The audit log of the caller's partner, newest first as the server sends it. */
export function useAuditEvents() {
  const api = useApi(marketplaceApiRef);
  return useAsyncRetry(() => api.listAuditEvents(), [api]);
}
