import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  ApiKey,
  IssuedApiKey,
  KeyEnvironment,
  marketplaceApiRef,
} from '../../api';

/** A product a key can be scoped to. */
export type KeyScopeOption = { id: string; title: string };

/** Runs one mutation at a time, keeping its error. */
export function useMutation() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(undefined);
    try {
      return await action();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return undefined;
    } finally {
      setPending(false);
    }
  };
  return { pending, error, run, reset: () => setError(undefined) };
}

function ErrorAlert(props: { error?: Error }) {
  return props.error ? (
    <Alert severity="error">{props.error.message}</Alert>
  ) : null;
}

/** Creates a key: name, product scopes, environment and optional expiry. */
export function CreateKeyDialog(props: {
  open: boolean;
  products: KeyScopeOption[];
  defaultProductIds?: string[];
  defaultEnvironment?: KeyEnvironment;
  onClose: () => void;
  onCreated: (issued: IssuedApiKey) => void;
}) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const [name, setName] = useState('');
  const [productIds, setProductIds] = useState<string[]>(
    props.defaultProductIds ?? [],
  );
  const [environment, setEnvironment] = useState<KeyEnvironment>(
    props.defaultEnvironment ?? 'sandbox',
  );
  const [expiresOn, setExpiresOn] = useState('');
  const [allowedIps, setAllowedIps] = useState('');

  const toggle = (id: string) =>
    setProductIds(ids =>
      ids.includes(id) ? ids.filter(i => i !== id) : [...ids, id],
    );

  const valid = name.trim() !== '' && productIds.length > 0;

  const onSubmit = async () => {
    const ips = allowedIps
      .split(/[\s,]+/)
      .map(ip => ip.trim())
      .filter(Boolean);
    const issued = await run(() =>
      api.createKey({
        name: name.trim(),
        productIds,
        environment,
        ...(expiresOn
          ? { expiresAt: new Date(`${expiresOn}T23:59:59Z`).toISOString() }
          : {}),
        ...(ips.length ? { allowedIps: ips } : {}),
      }),
    );
    if (issued) props.onCreated(issued);
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth>
      <DialogTitle>Create API key</DialogTitle>
      <DialogContent>
        <ErrorAlert error={error} />
        <TextField
          id="create-key-name"
          label="Key name"
          value={name}
          onChange={e => setName(e.target.value)}
          fullWidth
          required
          margin="normal"
        />
        <FormControl component="fieldset" margin="normal">
          <FormLabel component="legend">Products</FormLabel>
          <FormGroup>
            {props.products.map(product => (
              <FormControlLabel
                key={product.id}
                control={
                  <Checkbox
                    checked={productIds.includes(product.id)}
                    onChange={() => toggle(product.id)}
                  />
                }
                label={product.title}
              />
            ))}
          </FormGroup>
        </FormControl>
        <TextField
          select
          id="create-key-environment"
          label="Environment"
          value={environment}
          onChange={e => setEnvironment(e.target.value as KeyEnvironment)}
          fullWidth
          margin="normal"
          SelectProps={{ inputProps: { 'aria-label': 'Environment' } }}
        >
          <MenuItem value="sandbox">Sandbox</MenuItem>
          <MenuItem value="production">Production</MenuItem>
        </TextField>
        <TextField
          id="create-key-expires"
          label="Expires on (optional)"
          type="date"
          value={expiresOn}
          onChange={e => setExpiresOn(e.target.value)}
          fullWidth
          margin="normal"
          InputLabelProps={{ shrink: true }}
        />
        <TextField
          id="create-key-allowed-ips"
          label="Allowed IPs (optional, comma separated)"
          value={allowedIps}
          onChange={e => setAllowedIps(e.target.value)}
          fullWidth
          margin="normal"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!valid || pending}
          onClick={onSubmit}
        >
          Create
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Rotates a key: the old one keeps working for the grace period. */
export function RotateKeyDialog(props: {
  apiKey?: ApiKey;
  onClose: () => void;
  onRotated: (issued: IssuedApiKey) => void;
}) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const [hours, setHours] = useState('24');
  const { apiKey } = props;
  const parsed = Number(hours);
  const valid = hours.trim() !== '' && Number.isInteger(parsed) && parsed >= 0;

  const onSubmit = async () => {
    if (!apiKey) return;
    const issued = await run(() =>
      api.rotateKey(apiKey.id, { gracePeriodHours: parsed }),
    );
    if (issued) props.onRotated(issued);
  };

  return (
    <Dialog open={Boolean(apiKey)} onClose={props.onClose} fullWidth>
      <DialogTitle>Rotate {apiKey?.name}</DialogTitle>
      <DialogContent>
        <ErrorAlert error={error} />
        <DialogContentText>
          A new key is issued. The current key keeps working until the grace
          period ends.
        </DialogContentText>
        <TextField
          id="rotate-key-grace-hours"
          label="Grace period (hours)"
          type="number"
          value={hours}
          onChange={e => setHours(e.target.value)}
          inputProps={{ min: 0 }}
          fullWidth
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!valid || pending}
          onClick={onSubmit}
        >
          Rotate
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Asks before revoking a key, which stops it at once. */
export function RevokeKeyDialog(props: {
  apiKey?: ApiKey;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const { apiKey } = props;

  const onSubmit = async () => {
    if (!apiKey) return;
    const done = await run(async () => {
      await api.revokeKey(apiKey.id);
      return true;
    });
    if (done) props.onRevoked();
  };

  return (
    <Dialog open={Boolean(apiKey)} onClose={props.onClose}>
      <DialogTitle>Revoke {apiKey?.name}?</DialogTitle>
      <DialogContent>
        <ErrorAlert error={error} />
        <DialogContentText>
          Calls made with {apiKey?.prefix}… are rejected at once. This cannot be
          undone.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={pending}
          onClick={onSubmit}
        >
          Revoke
        </Button>
      </DialogActions>
    </Dialog>
  );
}
