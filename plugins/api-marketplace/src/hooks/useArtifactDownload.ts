import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { MarketplaceArtifact, marketplaceApiRef } from '../api';
import { saveBlob } from '../lib/saveBlob';

/**
 * Downloads a generated artifact through the fetch API (so the user's token
 * is sent) and hands it to the browser as a file.
 */
export function useArtifactDownload(productId: string) {
  const api = useApi(marketplaceApiRef);
  return useAsyncFn(
    async (artifact: MarketplaceArtifact) => {
      const { blob, filename } = await api.downloadArtifact(
        productId,
        artifact,
      );
      saveBlob(blob, filename);
      return artifact;
    },
    [api, productId],
  );
}
