import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
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
import Typography from '@material-ui/core/Typography';
import {
  ApiKey,
  IssuedApiKey,
  KeyEnvironment,
  marketplaceApiRef,
} from '../../api';
import { ErrorAlert } from '../ErrorAlert';

/** A product a key can be scoped to. */
export type KeyScopeOption = { id: string; title: string };

const allEnvironments: KeyEnvironment[] = ['sandbox', 'production'];

const environmentLabels: Record<KeyEnvironment, string> = {
  sandbox: 'Sandbox',
  production: 'Production',
};

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

/**
 * The fields of a new key (name, product scopes, environment, optional expiry
 * and allowed IPs) with its submit button. Used inside {@link CreateKeyDialog}
 * and inline by onboarding, so both create keys the same way.
 */
export function CreateKeyForm(props: {
  products: KeyScopeOption[];
  defaultProductIds?: string[];
  defaultEnvironment?: KeyEnvironment;
  defaultName?: string;
  /** Only these environments are offered; one alone is shown, not chosen. */
  environments?: KeyEnvironment[];
  submitLabel?: string;
  /** Renders fields and actions as a dialog's content and actions. */
  variant?: 'dialog' | 'inline';
  onCancel?: () => void;
  onCreated: (issued: IssuedApiKey) => void;
}) {
  const api = useApi(marketplaceApiRef);
  const { pending, error, run } = useMutation();
  const environments = props.environments ?? allEnvironments;
  const [name, setName] = useState(props.defaultName ?? '');
  const [productIds, setProductIds] = useState<string[]>(
    props.defaultProductIds ?? [],
  );
  const [environment, setEnvironment] = useState<KeyEnvironment>(
    props.defaultEnvironment && environments.includes(props.defaultEnvironment)
      ? props.defaultEnvironment
      : environments[0],
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

  const fields = (
    <>
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
      {environments.length > 1 ? (
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
          {environments.map(env => (
            <MenuItem key={env} value={env}>
              {environmentLabels[env]}
            </MenuItem>
          ))}
        </TextField>
      ) : (
        <Typography variant="body2" color="textSecondary">
          Environment: {environmentLabels[environment]}
        </Typography>
      )}
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
    </>
  );
  const actions = (
    <>
      {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
      <Button
        color="primary"
        variant="contained"
        disabled={!valid || pending}
        onClick={onSubmit}
      >
        {props.submitLabel ?? 'Create'}
      </Button>
    </>
  );

  if (props.variant === 'dialog') {
    return (
      <>
        <DialogContent>{fields}</DialogContent>
        <DialogActions>{actions}</DialogActions>
      </>
    );
  }
  return (
    <Box maxWidth={480}>
      {fields}
      <Box mt={1}>{actions}</Box>
    </Box>
  );
}

/** Creates a key in a dialog: see {@link CreateKeyForm}. */
export function CreateKeyDialog(props: {
  open: boolean;
  products: KeyScopeOption[];
  defaultProductIds?: string[];
  defaultEnvironment?: KeyEnvironment;
  defaultName?: string;
  onClose: () => void;
  onCreated: (issued: IssuedApiKey) => void;
}) {
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth>
      <DialogTitle>Create API key</DialogTitle>
      <CreateKeyForm
        variant="dialog"
        products={props.products}
        defaultProductIds={props.defaultProductIds}
        defaultEnvironment={props.defaultEnvironment}
        defaultName={props.defaultName}
        onCancel={props.onClose}
        onCreated={props.onCreated}
      />
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
