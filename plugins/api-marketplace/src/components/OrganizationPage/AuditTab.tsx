import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { AuditEvent } from '../../api';
import { useAuditEvents } from '../../hooks';
import { formatDateTime } from '../../lib/format';

const columns: TableColumn<AuditEvent>[] = [
  { title: 'When', render: e => formatDateTime(e.createdAt) },
  { title: 'Who', field: 'actorRef' },
  { title: 'Action', field: 'action' },
  {
    title: 'Target',
    render: e => (e.targetId ? `${e.targetType} ${e.targetId}` : e.targetType),
  },
  {
    title: 'Details',
    render: e =>
      Object.keys(e.details ?? {}).length ? (
        <code>{JSON.stringify(e.details)}</code>
      ) : null,
  },
];

/** The partner's audit log. */
export function AuditTab() {
  const events = useAuditEvents();
  if (events.loading && !events.value) return <Progress />;
  if (events.error) {
    return (
      <ResponseErrorPanel
        error={events.error}
        title="Could not load the audit log"
      />
    );
  }
  if (!events.value?.length) {
    return (
      <EmptyState
        missing="data"
        title="Nothing logged yet"
        description="Changes to keys, subscriptions and members appear here."
      />
    );
  }
  return (
    <Table<AuditEvent>
      title="Audit log"
      options={{ search: false, paging: true, pageSize: 20, padding: 'dense' }}
      columns={columns}
      data={events.value}
    />
  );
}
