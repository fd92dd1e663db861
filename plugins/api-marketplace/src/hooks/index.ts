export { useProducts, useProduct } from './useProducts';
export { useProductChanges } from './useProductChanges';
export { useOperationSnippets } from './useOperationSnippets';
export { useArtifactDownload } from './useArtifactDownload';
export { useDebouncedValue } from './useDebouncedValue';
export { useUsage } from './useUsage';
export {
  useMe,
  useMembers,
  useInvitations,
  useSubscriptions,
  useKeys,
  useAuditEvents,
} from './usePartner';
