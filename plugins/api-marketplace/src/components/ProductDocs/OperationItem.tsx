import { useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { ProductOperationSummary } from '@portico/plugin-api-marketplace-common';
import { useOperationDetails } from './hooks';
import { OperationDetails } from './OperationDetails';

const useStyles = makeStyles(theme => ({
  method: {
    minWidth: 72,
    marginRight: theme.spacing(1),
    fontWeight: 700,
    textTransform: 'uppercase',
    fontFamily: 'monospace',
  },
  get: { backgroundColor: theme.palette.info.light },
  post: { backgroundColor: theme.palette.success.light },
  put: { backgroundColor: theme.palette.warning.light },
  patch: { backgroundColor: theme.palette.warning.light },
  delete: { backgroundColor: theme.palette.error.light },
  path: { fontFamily: 'monospace', marginRight: theme.spacing(1) },
  deprecated: { textDecoration: 'line-through' },
}));

/** The details of an open operation, fetched the first time it is opened. */
function LazyOperationDetails(props: {
  productId: string;
  operation: ProductOperationSummary;
}) {
  const { productId, operation } = props;
  const { value, error, retry } = useOperationDetails(operation.operationId);
  if (value) {
    return <OperationDetails productId={productId} operation={value} />;
  }
  if (error) {
    return (
      <Box width="100%">
        <ResponseErrorPanel
          error={error}
          title="Could not load this operation"
        />
        <Button size="small" onClick={retry}>
          Retry
        </Button>
      </Box>
    );
  }
  return (
    <Box width="100%">
      <Progress
        aria-label={`Loading ${operation.method.toUpperCase()} ${
          operation.path
        }`}
      />
    </Box>
  );
}

/**
 * One operation as a collapsed row, from the operation index. Its details
 * (and their code samples) are fetched and mounted only while it is open
 * (`unmountOnExit`); fetched details are cached for the next time.
 */
export function OperationItem(props: {
  productId: string;
  operation: ProductOperationSummary;
}) {
  const { productId, operation } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const method = operation.method.toLocaleLowerCase('en-US');
  const methodClass = (classes as Record<string, string>)[method] ?? '';
  return (
    <Accordion
      data-testid="operation-row"
      expanded={expanded}
      onChange={(_event, isExpanded) => setExpanded(isExpanded)}
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-label={`${operation.method.toUpperCase()} ${operation.path}`}
      >
        <Box display="flex" alignItems="center" flexWrap="wrap">
          <Chip
            size="small"
            label={operation.method.toUpperCase()}
            className={`${classes.method} ${methodClass}`}
          />
          <Typography
            component="span"
            className={`${classes.path} ${
              operation.deprecated ? classes.deprecated : ''
            }`}
          >
            {operation.path}
          </Typography>
          <Typography component="span" color="textSecondary">
            {operation.summary}
          </Typography>
          {operation.deprecated && (
            <Box ml={1}>
              <Chip size="small" variant="outlined" label="deprecated" />
            </Box>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        <LazyOperationDetails productId={productId} operation={operation} />
      </AccordionDetails>
    </Accordion>
  );
}
