import { useMemo, useState } from 'react';
import { EmptyState, InfoCard } from '@backstage/core-components';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Chip,
  TextField,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  ProductDetail,
  ProductOperation,
} from '@portico/plugin-api-marketplace-common';

function groupByTag(operations: ProductOperation[]) {
  const groups = new Map<string, ProductOperation[]>();
  for (const operation of operations) {
    const tag = operation.tags[0] ?? 'Other';
    groups.set(tag, [...(groups.get(tag) ?? []), operation]);
  }
  return [...groups.entries()];
}

function OperationDetails(props: { operation: ProductOperation }) {
  const { operation } = props;
  const success = operation.responses.find(r => r.status.startsWith('2'));
  return (
    <Box width="100%">
      {operation.description && <Typography paragraph>{operation.description}</Typography>}
      {operation.parameters.length > 0 && (
        <>
          <Typography variant="subtitle2">Parameters</Typography>
          <ul>
            {operation.parameters.map(p => (
              <li key={`${p.in}:${p.name}`}>
                <code>{p.name}</code> ({p.in}
                {p.type ? `, ${p.type}` : ''}
                {p.required ? ', required' : ''}){p.description ? ` — ${p.description}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {operation.requestBody?.example !== undefined && (
        <>
          <Typography variant="subtitle2">Request body example</Typography>
          <pre>{JSON.stringify(operation.requestBody.example, null, 2)}</pre>
        </>
      )}
      {success?.example !== undefined && (
        <>
          <Typography variant="subtitle2">Response {success.status} example</Typography>
          <pre>{JSON.stringify(success.example, null, 2)}</pre>
        </>
      )}
    </Box>
  );
}

/**
 * The operations of a product grouped by tag. Operation bodies render only
 * when opened, so specs with thousands of operations stay responsive.
 */
export function ProductDocs(props: { product: ProductDetail }) {
  const { product } = props;
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const needle = filter.toLocaleLowerCase('en-US');
    const matching = product.operations.filter(
      op =>
        !needle ||
        `${op.method} ${op.path} ${op.operationId} ${op.summary ?? ''}`
          .toLocaleLowerCase('en-US')
          .includes(needle),
    );
    return groupByTag(matching);
  }, [product.operations, filter]);

  return (
    <InfoCard title={`${product.title} — ${product.operationCount} operations`}>
      <TextField
        fullWidth
        size="small"
        variant="outlined"
        label="Filter operations"
        value={filter}
        onChange={e => setFilter(e.target.value)}
      />
      {groups.length === 0 && (
        <EmptyState missing="data" title="No operations" description="Nothing in this spec matches." />
      )}
      {groups.map(([tag, operations]) => (
        <Box key={tag} mt={2}>
          <Typography variant="h6">{tag}</Typography>
          {operations.map(operation => (
            <Accordion key={operation.operationId} TransitionProps={{ unmountOnExit: true }}>
              <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                <Chip size="small" label={operation.method} style={{ marginRight: 8 }} />
                <Typography>
                  <code>{operation.path}</code> {operation.summary}
                </Typography>
              </AccordionSummary>
              <AccordionDetails>
                <OperationDetails operation={operation} />
              </AccordionDetails>
            </Accordion>
          ))}
        </Box>
      ))}
    </InfoCard>
  );
}
