import { useEffect, useMemo, useState } from 'react';
import { Link, Progress } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { ApiKey, IssuedApiKey } from '../../api';
import { useKeys, useMe } from '../../hooks';
import { describeError } from '../../lib/errors';
import { onboardingRouteRef } from '../../routes';
import { CreateKeyDialog, NewKeyPanel } from '../Keys';
import type { KeyChoice } from './request';

const PASTE = '__paste__';

/** Keys that can call this product's sandbox now, newest first. */
export function usableSandboxKeys(keys: ApiKey[], productId: string) {
  return keys
    .filter(
      k =>
        k.environment === 'sandbox' &&
        k.status === 'active' &&
        k.productIds.includes(productId),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Picks the key a Try it call is made with: one of the partner's active
 * sandbox keys for this product, by id, so the secret never reaches the
 * browser; or, as a fallback, a key pasted by hand. Offers to create a key
 * when there is none.
 */
export function KeyPicker(props: {
  productId: string;
  productTitle: string;
  value?: KeyChoice;
  onChange: (choice: KeyChoice | undefined) => void;
}) {
  const { productId, value, onChange } = props;
  const me = useMe();
  const hasPartner = Boolean(me.value?.partner);
  const keys = useKeys(productId, { enabled: hasPartner });
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedApiKey | undefined>();
  const onboardingRoute = useRouteRef(onboardingRouteRef);

  const usable = useMemo(
    () => (hasPartner ? usableSandboxKeys(keys.value ?? [], productId) : []),
    [hasPartner, keys.value, productId],
  );

  // Pre-select the newest key; drop a picked key that is gone.
  useEffect(() => {
    if (value?.kind === 'paste') return;
    if (value?.kind === 'id' && usable.some(k => k.id === value.keyId)) return;
    if (usable.length) onChange({ kind: 'id', keyId: usable[0].id });
    else if (value) onChange(undefined);
  }, [usable, value, onChange]);

  if (me.loading || (hasPartner && keys.loading && !keys.value)) {
    return <Progress />;
  }

  let selected = '';
  if (value?.kind === 'paste') selected = PASTE;
  else if (value?.kind === 'id') selected = value.keyId;

  let notice;
  if (me.error) {
    notice = `Could not load your account: ${describeError(me.error).message}`;
  } else if (!hasPartner) {
    notice = (
      <>
        Create your organisation to get a sandbox key:{' '}
        <Link to={onboardingRoute()}>Get started</Link>. You can also paste a
        key.
      </>
    );
  } else if (keys.error) {
    notice = `Could not load your keys: ${describeError(keys.error).message}`;
  } else if (!usable.length) {
    notice = `You have no active sandbox key for ${props.productTitle}.`;
  }

  return (
    <Box>
      {issued && (
        <NewKeyPanel issued={issued} onDone={() => setIssued(undefined)} />
      )}
      <Box display="flex" alignItems="flex-start" flexWrap="wrap">
        <Box flex="1 1 280px" mr={1}>
          <TextField
            select
            fullWidth
            id={`try-it-key-${productId}`}
            label="Sandbox key"
            value={selected}
            onChange={e =>
              onChange(
                e.target.value === PASTE
                  ? { kind: 'paste', key: '' }
                  : { kind: 'id', keyId: e.target.value },
              )
            }
            helperText="Calls are made by the marketplace with the key you pick; its secret is never sent to your browser."
            SelectProps={{ inputProps: { 'aria-label': 'Sandbox key' } }}
          >
            {usable.map(k => (
              <MenuItem key={k.id} value={k.id}>
                {k.name} ({k.prefix}…)
              </MenuItem>
            ))}
            <MenuItem value={PASTE}>Paste a key…</MenuItem>
          </TextField>
        </Box>
        {hasPartner && (
          <Box mt={1}>
            <Button
              variant={usable.length ? 'text' : 'contained'}
              color="primary"
              onClick={() => setCreating(true)}
            >
              Create a sandbox key
            </Button>
          </Box>
        )}
      </Box>
      {notice && (
        <Typography variant="body2" color="textSecondary" role="note">
          {notice}
        </Typography>
      )}
      {value?.kind === 'paste' && (
        <TextField
          id={`try-it-pasted-key-${productId}`}
          label="Pasted key"
          type="password"
          autoComplete="off"
          value={value.key}
          onChange={e => onChange({ kind: 'paste', key: e.target.value })}
          fullWidth
          margin="normal"
          helperText="Used for this call only; it is not stored."
        />
      )}
      {creating && (
        <CreateKeyDialog
          open
          products={[{ id: productId, title: props.productTitle }]}
          defaultProductIds={[productId]}
          defaultEnvironment="sandbox"
          defaultName={`Try it: ${props.productTitle}`}
          onClose={() => setCreating(false)}
          onCreated={key => {
            setCreating(false);
            setIssued(key);
            onChange({ kind: 'id', keyId: key.id });
            keys.retry();
          }}
        />
      )}
    </Box>
  );
}
