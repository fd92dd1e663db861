import { useMemo, useState } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import { ApiKey, IssuedApiKey, KeyEnvironment } from '../../api';
import { useKeys, useProducts } from '../../hooks';
import { formatDateTime } from '../../lib/format';
import {
  CreateKeyDialog,
  KeyScopeOption,
  RevokeKeyDialog,
  RotateKeyDialog,
} from './KeyDialogs';
import { NewKeyPanel } from './NewKeyPanel';

const noFilters = {};

/**
 * The keys of the caller's partner with create, rotate and revoke. With a
 * `productId`, only the keys scoped to that product are listed and new keys
 * are prefilled with it.
 */
export function KeysPanel(props: {
  productId?: string;
  defaultEnvironment?: KeyEnvironment;
}) {
  const { productId } = props;
  const keys = useKeys(productId);
  const products = useProducts(noFilters);
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<ApiKey | undefined>();
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const [issued, setIssued] = useState<IssuedApiKey | undefined>();

  const scopeOptions: KeyScopeOption[] = useMemo(() => {
    const options = (products.value ?? []).map(p => ({
      id: p.id,
      title: p.title,
    }));
    if (productId && !options.some(o => o.id === productId)) {
      options.unshift({ id: productId, title: productId });
    }
    return options;
  }, [products.value, productId]);

  const titles = new Map(scopeOptions.map(o => [o.id, o.title]));

  const columns: TableColumn<ApiKey>[] = [
    { title: 'Name', field: 'name' },
    {
      title: 'Prefix',
      field: 'prefix',
      render: key => <code>{key.prefix}…</code>,
    },
    { title: 'Environment', field: 'environment' },
    {
      title: 'Products',
      render: key => key.productIds.map(id => titles.get(id) ?? id).join(', '),
    },
    {
      title: 'Status',
      render: key => <Chip size="small" label={key.status} />,
    },
    {
      title: 'Last used',
      render: key =>
        key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never',
    },
    {
      title: 'Expires',
      render: key => (key.expiresAt ? formatDateTime(key.expiresAt) : 'Never'),
    },
    {
      title: 'Actions',
      render: key =>
        key.status === 'revoked' ? null : (
          <>
            <Button
              size="small"
              onClick={() => setRotating(key)}
              aria-label={`Rotate ${key.name}`}
            >
              Rotate
            </Button>
            <Button
              size="small"
              color="secondary"
              onClick={() => setRevoking(key)}
              aria-label={`Revoke ${key.name}`}
            >
              Revoke
            </Button>
          </>
        ),
    },
  ];

  const onIssued = (key: IssuedApiKey) => {
    setCreating(false);
    setRotating(undefined);
    setIssued(key);
    keys.retry();
  };

  let body;
  if (keys.loading && !keys.value) {
    body = <Progress />;
  } else if (keys.error) {
    body = (
      <ResponseErrorPanel error={keys.error} title="Could not load the keys" />
    );
  } else if (!keys.value?.length) {
    body = (
      <EmptyState
        missing="data"
        title="No API keys yet"
        description="Create a key to call the APIs you are subscribed to."
      />
    );
  } else {
    body = (
      <Table<ApiKey>
        title="API keys"
        options={{ search: false, paging: false, padding: 'dense' }}
        columns={columns}
        data={keys.value}
      />
    );
  }

  return (
    <>
      {issued && (
        <NewKeyPanel issued={issued} onDone={() => setIssued(undefined)} />
      )}
      <Box mb={2}>
        <Button
          variant="contained"
          color="primary"
          onClick={() => setCreating(true)}
        >
          Create key
        </Button>
      </Box>
      {body}
      {creating && (
        <CreateKeyDialog
          open
          products={scopeOptions}
          defaultProductIds={productId ? [productId] : []}
          defaultEnvironment={props.defaultEnvironment}
          onClose={() => setCreating(false)}
          onCreated={onIssued}
        />
      )}
      <RotateKeyDialog
        key={rotating?.id ?? 'none'}
        apiKey={rotating}
        onClose={() => setRotating(undefined)}
        onRotated={onIssued}
      />
      <RevokeKeyDialog
        key={`revoke-${revoking?.id ?? 'none'}`}
        apiKey={revoking}
        onClose={() => setRevoking(undefined)}
        onRevoked={() => {
          setRevoking(undefined);
          keys.retry();
        }}
      />
    </>
  );
}
