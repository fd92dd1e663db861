import Alert from '@material-ui/lab/Alert';
import { describeError } from '../../lib/errors';

/** The error of a user action, in the server's own words. */
export function ErrorAlert(props: { error?: Error }) {
  if (!props.error) return null;
  return <Alert severity="error">{describeError(props.error).message}</Alert>;
}
