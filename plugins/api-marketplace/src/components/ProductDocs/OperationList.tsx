import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import type { ProductOperationSummary } from '@portico/plugin-api-marketplace-common';
import { OperationItem } from './OperationItem';

/** How many operation rows a list renders before asking to show more. */
export const OPERATION_PAGE_SIZE = 50;

/**
 * Operations rendered a page at a time, so a list of thousands only puts
 * {@link OPERATION_PAGE_SIZE} rows in the DOM until the reader asks for more.
 */
export function OperationList(props: {
  productId: string;
  operations: ProductOperationSummary[];
  /** Prefix of React keys, so the same operation may show in two lists. */
  listKey: string;
}) {
  const { productId, operations, listKey } = props;
  const [shown, setShown] = useState(OPERATION_PAGE_SIZE);
  const remaining = operations.length - shown;
  return (
    <Box width="100%">
      {operations.slice(0, shown).map(operation => (
        <OperationItem
          key={`${listKey}:${operation.operationId}`}
          productId={productId}
          operation={operation}
        />
      ))}
      {remaining > 0 && (
        <Box mt={1}>
          <Button
            variant="outlined"
            size="small"
            onClick={() => setShown(shown + OPERATION_PAGE_SIZE)}
          >
            Show {Math.min(remaining, OPERATION_PAGE_SIZE)} more (
            {remaining.toLocaleString('en-US')} not shown)
          </Button>
        </Box>
      )}
    </Box>
  );
}
