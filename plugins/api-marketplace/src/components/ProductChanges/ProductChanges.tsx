import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  SpecChangeItem,
  SpecVersion,
} from '@portico/plugin-api-marketplace-common';
import { useProductChanges } from '../../hooks';
import { formatDateTime } from '../../lib/format';

const kindLabels: Record<SpecChangeItem['kind'], string> = {
  'operation-added': 'Operation added',
  'operation-removed': 'Operation removed',
  'parameter-added': 'Parameter added',
  'parameter-removed': 'Parameter removed',
  'parameter-now-required': 'Parameter now required',
  'field-added': 'Field added',
  'field-removed': 'Field removed',
  'field-now-required': 'Field now required',
};

const useStyles = makeStyles(theme => ({
  breaking: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

function BreakingBadge(props: { breaking: boolean; description?: string }) {
  const classes = useStyles();
  return props.breaking ? (
    <Chip
      size="small"
      label="Breaking"
      className={classes.breaking}
      aria-label={props.description}
    />
  ) : (
    <Chip
      size="small"
      variant="outlined"
      label="Non-breaking"
      aria-label={props.description}
    />
  );
}

type ChangeRow = SpecChangeItem & { id: string };

const columns: TableColumn<ChangeRow>[] = [
  {
    title: 'Kind',
    field: 'kind',
    render: row => kindLabels[row.kind] ?? row.kind,
  },
  {
    title: 'Operation',
    field: 'operation',
    render: row => <code>{row.operation}</code>,
  },
  { title: 'Detail', field: 'detail' },
  {
    title: 'Breaking',
    field: 'breaking',
    render: row => (row.breaking ? <BreakingBadge breaking /> : 'no'),
  },
];

function VersionCard(props: { version: SpecVersion; isFirst: boolean }) {
  const { version, isFirst } = props;
  let body;
  if (version.changes.length > 0) {
    body = (
      <Table<ChangeRow>
        columns={columns}
        data={version.changes.map((change, i) => ({ ...change, id: `${i}` }))}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
      />
    );
  } else {
    body = (
      <Box p={2}>
        <Typography variant="body2" color="textSecondary">
          {isFirst
            ? 'First version seen by the marketplace.'
            : 'No change a client would notice (descriptions or examples only).'}
        </Typography>
      </Box>
    );
  }
  return (
    <Box mb={2} component="section" aria-label={`Version ${version.version}`}>
      <InfoCard
        title={`v${version.version}`}
        subheader={
          <time dateTime={version.detectedAt}>
            Detected {formatDateTime(version.detectedAt)}
          </time>
        }
        action={
          isFirst ? undefined : (
            <Box p={1}>
              <BreakingBadge
                breaking={version.breaking}
                description={
                  version.breaking
                    ? 'This version breaks existing clients'
                    : 'This version keeps existing clients working'
                }
              />
            </Box>
          )
        }
        noPadding
      >
        {body}
      </InfoCard>
    </Box>
  );
}

/** Every version of a product's spec with what changed, newest first. */
export function ProductChanges(props: { productId: string }) {
  const {
    value: versions,
    loading,
    error,
  } = useProductChanges(props.productId);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <ResponseErrorPanel error={error} title="Could not load the changes" />
    );
  }
  if (!versions || versions.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No history yet"
        description="The marketplace has not recorded a version of this spec yet."
      />
    );
  }
  if (versions.length === 1) {
    const [only] = versions;
    return (
      <EmptyState
        missing="data"
        title="No changes yet"
        description={`Only v${only.version} (detected ${formatDateTime(
          only.detectedAt,
        )}) has been seen. Changes show up here when the spec is updated.`}
      />
    );
  }
  return (
    <>
      {versions.map((version, i) => (
        <VersionCard
          key={version.specHash}
          version={version}
          isFirst={i === versions.length - 1 && !version.previousHash}
        />
      ))}
    </>
  );
}
