import { useMemo, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  ProductDetail,
  ProductSummary,
} from '@portico/plugin-api-marketplace-common';
import { useDebouncedValue } from '../../hooks';
import {
  OperationDetailsContext,
  useOperationDetailsCache,
  useOperationIndex,
} from './hooks';
import { indexOperations, OperationGroup } from './operationIndex';
import { OperationList } from './OperationList';

/** How long the operation search must be idle before it filters. */
export const OPERATION_SEARCH_DEBOUNCE_MS = 250;

function TagGroup(props: { productId: string; group: OperationGroup }) {
  const { productId, group } = props;
  const [expanded, setExpanded] = useState(false);
  const count = group.operations.length;
  return (
    <Accordion
      expanded={expanded}
      onChange={(_event, isExpanded) => setExpanded(isExpanded)}
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-label={`${group.tag} (${count} operations)`}
      >
        <Typography variant="h6" component="h3">
          {group.tag}
        </Typography>
        <Box ml={1} alignSelf="center">
          <Typography variant="body2" color="textSecondary">
            {count === 1 ? '1 operation' : `${count} operations`}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        {/* Mounted only while expanded, thanks to unmountOnExit. */}
        <OperationList
          productId={productId}
          operations={group.operations}
          listKey={group.tag}
        />
      </AccordionDetails>
    </Accordion>
  );
}

/**
 * The operations of a product, grouped by tag and searchable. Only the small
 * operation index is loaded up front; an operation's details are fetched
 * when it is opened. Groups start collapsed and lists render a page of rows
 * at a time, so specs with thousands of operations stay responsive.
 *
 * A {@link ProductDetail} that already carries its operations is shown
 * without fetching anything.
 */
export function ProductDocs(props: {
  product: ProductSummary | ProductDetail;
}) {
  const { product } = props;
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), OPERATION_SEARCH_DEBOUNCE_MS);
  const operations = useOperationIndex(product);
  const details = useOperationDetailsCache(product);
  const index = useMemo(
    () => indexOperations(operations.value ?? []),
    [operations.value],
  );
  const matches = useMemo(
    () => (query ? index.search(query) : undefined),
    [index, query],
  );
  const total = operations.value?.length ?? product.operationCount;

  let body;
  if (operations.error) {
    body = (
      <Box>
        <ResponseErrorPanel
          error={operations.error}
          title="Could not load the operations"
        />
        <Button size="small" onClick={() => operations.retry()}>
          Retry
        </Button>
      </Box>
    );
  } else if (!operations.value) {
    body = <Progress aria-label="Loading the operations" />;
  } else if (total === 0) {
    body = (
      <EmptyState
        missing="content"
        title="No operations"
        description="The spec of this API defines no operations."
      />
    );
  } else if (matches && matches.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No matching operations"
        description={`Nothing in this spec matches "${query}".`}
      />
    );
  } else if (matches) {
    body = (
      <>
        <Typography variant="body2" color="textSecondary" paragraph>
          {matches.length === 1
            ? '1 operation matches'
            : `${matches.length.toLocaleString('en-US')} operations match`}
        </Typography>
        <OperationList
          key={query}
          productId={product.id}
          operations={matches}
          listKey="search"
        />
      </>
    );
  } else {
    body = index.groups.map(group => (
      <TagGroup key={group.tag} productId={product.id} group={group} />
    ));
  }

  return (
    <OperationDetailsContext.Provider value={details}>
      <InfoCard
        title="Operations"
        subheader={`${total.toLocaleString('en-US')} operations in ${
          product.title
        } v${product.version}`}
      >
        <Box mb={2}>
          <TextField
            fullWidth
            id={`api-marketplace-operation-search-${product.id}`}
            type="search"
            size="small"
            variant="outlined"
            label="Search operations"
            placeholder="Method, path, operation id, summary or tag"
            value={search}
            onChange={e => setSearch(e.target.value)}
          />
        </Box>
        {body}
      </InfoCard>
    </OperationDetailsContext.Provider>
  );
}
