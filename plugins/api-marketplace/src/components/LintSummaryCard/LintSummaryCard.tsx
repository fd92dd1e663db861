import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type {
  LintFinding,
  LintSummary,
} from '@portico/plugin-api-marketplace-common';

/** How many findings the card lists. */
export const LINT_FINDINGS_SHOWN = 5;

const plural = (count: number, word: string) =>
  `${count} ${word}${count === 1 ? '' : 's'}`;

function SeverityStatus(props: { severity: LintFinding['severity'] }) {
  switch (props.severity) {
    case 'error':
      return <StatusError>error</StatusError>;
    case 'warning':
      return <StatusWarning>warning</StatusWarning>;
    default:
      return <StatusOK>{props.severity}</StatusOK>;
  }
}

/** The Spectral lint of a product's spec: counts and the first findings. */
export function LintSummaryCard(props: { lint?: LintSummary }) {
  const { lint } = props;
  if (!lint) {
    return (
      <InfoCard title="Spec quality">
        <Typography variant="body2" color="textSecondary">
          This spec has not been linted yet.
        </Typography>
      </InfoCard>
    );
  }
  const shown = lint.findings.slice(0, LINT_FINDINGS_SHOWN);
  const more = lint.errors + lint.warnings + lint.infos - shown.length;
  return (
    <InfoCard title="Spec quality" subheader={`Ruleset: ${lint.ruleset}`}>
      <Box display="flex" alignItems="center" mb={1}>
        {lint.errors > 0 && (
          <StatusError>{plural(lint.errors, 'error')}</StatusError>
        )}
        {lint.errors === 0 && lint.warnings > 0 && (
          <StatusWarning>No errors</StatusWarning>
        )}
        {lint.errors === 0 && lint.warnings === 0 && (
          <StatusOK>No errors</StatusOK>
        )}
        <Box ml={2}>
          <Typography variant="body2">
            {plural(lint.warnings, 'warning')}, {plural(lint.infos, 'info')}
          </Typography>
        </Box>
      </Box>
      {shown.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No findings. Nice spec.
        </Typography>
      ) : (
        <List dense aria-label="Lint findings">
          {shown.map((finding, i) => (
            <ListItem
              key={`${finding.code}:${finding.path}:${i}`}
              disableGutters
            >
              <ListItemText
                primary={
                  <>
                    <SeverityStatus severity={finding.severity} />{' '}
                    <code>{finding.code}</code> {finding.message}
                  </>
                }
                secondary={finding.path || undefined}
              />
            </ListItem>
          ))}
        </List>
      )}
      {more > 0 && (
        <Typography variant="caption" color="textSecondary">
          and {more} more
        </Typography>
      )}
    </InfoCard>
  );
}
