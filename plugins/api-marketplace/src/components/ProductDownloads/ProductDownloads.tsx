import { useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { MarketplaceArtifact } from '../../api';
import { useArtifactDownload } from '../../hooks';

const artifacts: { artifact: MarketplaceArtifact; label: string }[] = [
  { artifact: 'postman', label: 'Postman collection' },
  { artifact: 'typescript', label: 'TypeScript client' },
];

/**
 * Buttons that download the Postman collection and the TypeScript client
 * generated from a product's spec.
 */
export function ProductDownloads(props: { productId: string }) {
  const [{ loading, error }, download] = useArtifactDownload(props.productId);
  const [pending, setPending] = useState<MarketplaceArtifact>();

  const start = async (artifact: MarketplaceArtifact) => {
    setPending(artifact);
    await download(artifact);
    setPending(undefined);
  };

  return (
    <Box component="section" aria-label="Downloads">
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Box mr={2}>
          <Typography variant="subtitle2" component="h3">
            Downloads
          </Typography>
        </Box>
        {artifacts.map(({ artifact, label }) => (
          <Box key={artifact} mr={1} my={0.5}>
            <Button
              variant="outlined"
              color="primary"
              size="small"
              disabled={loading}
              startIcon={
                pending === artifact ? (
                  <CircularProgress
                    size={16}
                    aria-label={`Downloading ${label}`}
                  />
                ) : (
                  <GetAppIcon />
                )
              }
              onClick={() => start(artifact)}
            >
              {label}
            </Button>
          </Box>
        ))}
      </Box>
      {error && !loading && (
        <Box mt={1}>
          <ResponseErrorPanel error={error} title="Download failed" />
        </Box>
      )}
    </Box>
  );
}
