import { CodeSnippet, Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  OperationParameter,
  ProductOperation,
} from '@portico/plugin-api-marketplace-common';
import { CodeSamplesPanel } from '../CodeSamples';
import { exampleText } from './operationIndex';

type ParameterRow = {
  id: string;
  name: string;
  in: string;
  type: string;
  required: string;
  example: string;
  description: string;
};

const parameterColumns: TableColumn<ParameterRow>[] = [
  {
    title: 'Name',
    field: 'name',
    highlight: true,
    render: row => <code>{row.name}</code>,
  },
  { title: 'In', field: 'in' },
  { title: 'Type', field: 'type' },
  { title: 'Required', field: 'required' },
  {
    title: 'Example',
    field: 'example',
    render: row => (row.example ? <code>{row.example}</code> : '—'),
  },
  { title: 'Description', field: 'description' },
];

function parameterRow(parameter: OperationParameter): ParameterRow {
  return {
    id: `${parameter.in}:${parameter.name}`,
    name: parameter.name,
    in: parameter.in,
    type: parameter.type ?? '—',
    required: parameter.required ? 'yes' : 'no',
    example:
      parameter.example === undefined
        ? ''
        : exampleText(parameter.example).replace(/\s*\n\s*/g, ' '),
    description: parameter.description ?? '',
  };
}

function Example(props: { value: unknown; contentType?: string }) {
  const json =
    typeof props.value !== 'string' || /json/.test(props.contentType ?? '');
  return (
    <CodeSnippet
      text={exampleText(props.value)}
      language={json ? 'json' : 'plaintext'}
      showCopyCodeButton
    />
  );
}

/** Everything a developer needs to call one operation. */
export function OperationDetails(props: {
  productId: string;
  operation: ProductOperation;
}) {
  const { productId, operation } = props;
  return (
    <Box width="100%">
      {operation.description && (
        <Typography paragraph>{operation.description}</Typography>
      )}
      <Typography variant="caption" color="textSecondary" paragraph>
        Operation id: <code>{operation.operationId}</code>
      </Typography>

      <Box mb={2}>
        {operation.parameters.length > 0 ? (
          <Table<ParameterRow>
            title="Parameters"
            columns={parameterColumns}
            data={operation.parameters.map(parameterRow)}
            options={{ paging: false, search: false, padding: 'dense' }}
          />
        ) : (
          <Typography variant="body2" color="textSecondary">
            No parameters.
          </Typography>
        )}
      </Box>

      {operation.requestBody && (
        <Box mb={2}>
          <Typography variant="h6" component="h4">
            Request body
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {operation.requestBody.contentType}
            {operation.requestBody.required ? ', required' : ', optional'}
          </Typography>
          {operation.requestBody.example !== undefined ? (
            <Example
              value={operation.requestBody.example}
              contentType={operation.requestBody.contentType}
            />
          ) : (
            <Typography variant="body2">No example in the spec.</Typography>
          )}
        </Box>
      )}

      <Box mb={2}>
        <Typography variant="h6" component="h4">
          Responses
        </Typography>
        {operation.responses.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            The spec documents no responses.
          </Typography>
        )}
        {operation.responses.map(response => (
          <Box key={response.status} mt={1}>
            <Typography variant="subtitle2">
              {response.status}
              {response.description ? ` — ${response.description}` : ''}
              {response.contentType ? ` (${response.contentType})` : ''}
            </Typography>
            {response.example !== undefined && (
              <Example
                value={response.example}
                contentType={response.contentType}
              />
            )}
          </Box>
        ))}
      </Box>

      <CodeSamplesPanel
        productId={productId}
        operationId={operation.operationId}
      />
    </Box>
  );
}
