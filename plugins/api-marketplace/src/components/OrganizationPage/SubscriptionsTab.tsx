import { useState } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { planIds } from '@portico/plugin-api-marketplace-common';
import { marketplaceApiRef, Subscription, SubscriptionPlan } from '../../api';
import { useSubscriptions } from '../../hooks';
import { formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { useMutation } from '../Keys';

const statusLabels: Record<Subscription['status'], string> = {
  active: 'Active',
  pending_payment: 'Awaiting checkout',
  canceled: 'Canceled',
};

/** The partner's subscriptions, with plan changes and cancellation. */
export function SubscriptionsTab() {
  const api = useApi(marketplaceApiRef);
  const subscriptions = useSubscriptions();
  const { pending, error, run } = useMutation();
  const [canceling, setCanceling] = useState<Subscription | undefined>();

  const onChangePlan = async (
    subscription: Subscription,
    plan: SubscriptionPlan,
  ) => {
    if (plan === subscription.plan) return;
    const changed = await run(() => api.changePlan(subscription.id, plan));
    if (changed) subscriptions.retry();
  };

  const onCancel = async () => {
    if (!canceling) return;
    const done = await run(async () => {
      await api.cancelSubscription(canceling.id);
      return true;
    });
    setCanceling(undefined);
    if (done) subscriptions.retry();
  };

  if (subscriptions.loading && !subscriptions.value) return <Progress />;
  if (subscriptions.error) {
    return (
      <ResponseErrorPanel
        error={subscriptions.error}
        title="Could not load the subscriptions"
      />
    );
  }
  if (!subscriptions.value?.length) {
    return (
      <EmptyState
        missing="data"
        title="No subscriptions"
        description="Subscribe to an API from its marketplace page."
      />
    );
  }

  const columns: TableColumn<Subscription>[] = [
    { title: 'API', field: 'productId' },
    {
      title: 'Plan',
      render: s =>
        s.status === 'canceled' ? (
          s.plan
        ) : (
          <TextField
            select
            size="small"
            value={s.plan}
            disabled={pending}
            onChange={e => onChangePlan(s, e.target.value as SubscriptionPlan)}
            SelectProps={{
              inputProps: { 'aria-label': `Plan for ${s.productId}` },
            }}
          >
            {planIds.map(id => (
              <MenuItem key={id} value={id}>
                {id}
              </MenuItem>
            ))}
          </TextField>
        ),
    },
    { title: 'Status', render: s => statusLabels[s.status] },
    {
      title: 'Current period ends',
      render: s => formatDateTime(s.currentPeriodEnd),
    },
    {
      title: 'Actions',
      render: s =>
        s.status === 'canceled' ? null : (
          <Button
            size="small"
            color="secondary"
            onClick={() => setCanceling(s)}
            aria-label={`Cancel ${s.productId}`}
          >
            Cancel
          </Button>
        ),
    },
  ];

  return (
    <>
      <ErrorAlert error={error} />
      <Table<Subscription>
        title="Subscriptions"
        options={{ search: false, paging: false, padding: 'dense' }}
        columns={columns}
        data={subscriptions.value}
      />
      <Dialog open={Boolean(canceling)} onClose={() => setCanceling(undefined)}>
        <DialogTitle>Cancel {canceling?.productId}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Keys stop working for this API at the end of the cancellation.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setCanceling(undefined)}>Keep</Button>
          <Button
            color="secondary"
            variant="contained"
            disabled={pending}
            onClick={onCancel}
          >
            Cancel subscription
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
