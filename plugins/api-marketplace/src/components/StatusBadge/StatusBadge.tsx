import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { ApiProductStatus } from '@portico/plugin-api-marketplace-common';

const useStyles = makeStyles(theme => ({
  active: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  beta: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  deprecated: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/** The lifecycle of a product as a coloured badge. */
export function StatusBadge(props: { status: ApiProductStatus }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.status}
      className={classes[props.status]}
      aria-label={`Status: ${props.status}`}
    />
  );
}
