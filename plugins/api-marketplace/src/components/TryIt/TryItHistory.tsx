import { InfoCard } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { formatDateTime } from '../../lib/format';
import type { TryItHistoryEntry } from '../../lib/tryItHistory';

function outcome(entry: TryItHistoryEntry): string {
  if (entry.statusCode !== undefined) {
    const latency =
      entry.latencyMs !== undefined
        ? ` · ${Math.round(entry.latencyMs)} ms`
        : '';
    return `${entry.statusCode}${latency}`;
  }
  return entry.error ?? 'failed';
}

/** The last calls made from this browser; picking one fills the form again. */
export function TryItHistory(props: {
  entries: TryItHistoryEntry[];
  onPick: (entry: TryItHistoryEntry) => void;
  onClear: () => void;
}) {
  return (
    <InfoCard
      title="History"
      subheader="Your last calls, kept in this browser"
      action={
        props.entries.length ? (
          <Button size="small" onClick={props.onClear}>
            Clear
          </Button>
        ) : undefined
      }
    >
      {props.entries.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Calls you send show here.
        </Typography>
      ) : (
        <List dense aria-label="Call history">
          {props.entries.map(entry => (
            <ListItem
              key={entry.id}
              button
              onClick={() => props.onPick(entry)}
              aria-label={`${entry.method.toUpperCase()} ${
                entry.path
              } → ${outcome(entry)}`}
            >
              <ListItemText
                primary={
                  <>
                    <code>{entry.method.toUpperCase()}</code> {entry.path}
                  </>
                }
                secondary={`${outcome(entry)} · ${formatDateTime(entry.at)}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
