import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { IssuedApiKey } from '../../api';

/** The warning shown with a newly issued key. */
export const SHOW_ONCE_WARNING = "Copy it now — you won't see this key again.";

/**
 * A newly issued key, shown once with a copy button. The secret lives only in
 * the caller's state: closing the panel discards it.
 */
const COPY_TIMEOUT_MS = 5_000;

export function NewKeyPanel(props: {
  issued: IssuedApiKey;
  onDone?: () => void;
}) {
  const { issued, onDone } = props;
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  const onCopy = async () => {
    try {
      // A browser may leave the write pending (e.g. the tab lost focus):
      // after a few seconds say so rather than show nothing.
      await Promise.race([
        navigator.clipboard.writeText(issued.key),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), COPY_TIMEOUT_MS),
        ),
      ]);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <Box role="region" aria-label="New API key" my={2}>
      <Alert severity="warning">{SHOW_ONCE_WARNING}</Alert>
      <Box my={2}>
        <Typography variant="subtitle2">
          {issued.name} ({issued.environment})
        </Typography>
        <Box
          component="code"
          display="block"
          p={1}
          style={{ wordBreak: 'break-all' }}
          data-testid="issued-key"
        >
          {issued.key}
        </Box>
      </Box>
      <Button variant="contained" color="primary" onClick={onCopy}>
        Copy key
      </Button>
      {onDone && (
        <Box component="span" ml={1}>
          <Button onClick={onDone}>I have stored it</Button>
        </Box>
      )}
      {copy === 'copied' && (
        <Typography role="status" variant="body2">
          Copied to the clipboard.
        </Typography>
      )}
      {copy === 'failed' && (
        <Typography role="status" variant="body2" color="error">
          Could not copy; select the key and copy it by hand.
        </Typography>
      )}
    </Box>
  );
}
