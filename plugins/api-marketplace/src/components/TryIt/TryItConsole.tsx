import { useCallback, useMemo, useState } from 'react';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import SendIcon from '@material-ui/icons/Send';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type {
  OperationParameter,
  ProductDetail,
  ProductOperation,
  SandboxTryResponse,
} from '@portico/plugin-api-marketplace-common';
import { marketplaceApiRef } from '../../api';
import { describeError } from '../../lib/errors';
import {
  addTryItHistory,
  clearTryItHistory,
  readTryItHistory,
  TryItHistoryEntry,
} from '../../lib/tryItHistory';
import { KeyPicker } from './KeyPicker';
import {
  buildTryRequest,
  formParameters,
  initialBody,
  initialParams,
  KeyChoice,
  paramKey,
  TryItFormError,
} from './request';
import {
  RequestSnippets,
  ResponseViewer,
  TryItProblem,
} from './ResponseViewer';
import { TryItHistory } from './TryItHistory';

const locations: Array<{ in: OperationParameter['in']; title: string }> = [
  { in: 'path', title: 'Path parameters' },
  { in: 'query', title: 'Query parameters' },
  { in: 'header', title: 'Headers' },
];

export function operationLabel(operation: ProductOperation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

function paramHelp(param: OperationParameter): string {
  const type = param.type ? ` · ${param.type}` : '';
  const list = param.type === 'array' ? ' (comma separated)' : '';
  const description = param.description ? ` — ${param.description}` : '';
  return `${param.in}${type}${list}${description}`;
}

function ParameterFields(props: {
  operation: ProductOperation;
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  const params = formParameters(props.operation);
  if (params.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This operation has no parameters.
      </Typography>
    );
  }
  return (
    <>
      {locations.map(location => {
        const here = params.filter(p => p.in === location.in);
        if (!here.length) return null;
        return (
          <Box key={location.in} mt={1}>
            <Typography variant="subtitle2">{location.title}</Typography>
            {here.map(param => {
              const key = paramKey(param);
              return (
                <TextField
                  key={key}
                  id={`try-it-param-${param.in}-${param.name}`}
                  label={param.name}
                  required={param.required || param.in === 'path'}
                  value={props.values[key] ?? ''}
                  onChange={e => props.onChange(key, e.target.value)}
                  helperText={paramHelp(param)}
                  fullWidth
                  margin="dense"
                  variant="outlined"
                />
              );
            })}
          </Box>
        );
      })}
    </>
  );
}

function newId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Calls one operation of a product's sandbox from the portal: a form from
 * the spec (pre-filled with its examples), one of the partner's sandbox keys
 * picked by id, the response, this request as code, and the last calls.
 */
export function TryItConsole(props: { product: ProductDetail }) {
  const { product } = props;
  const api = useApi(marketplaceApiRef);
  const operations = product.operations;
  const [operationId, setOperationId] = useState<string | undefined>(
    operations[0]?.operationId,
  );
  const operation = useMemo(
    () => operations.find(o => o.operationId === operationId),
    [operations, operationId],
  );
  const [params, setParams] = useState<Record<string, string>>(() =>
    operation ? initialParams(operation) : {},
  );
  const [body, setBody] = useState(() =>
    operation ? initialBody(operation) : '',
  );
  const [key, setKey] = useState<KeyChoice | undefined>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [response, setResponse] = useState<SandboxTryResponse | undefined>();
  const [history, setHistory] = useState<TryItHistoryEntry[]>(() =>
    readTryItHistory(),
  );
  const productHistory = history.filter(h => h.productId === product.id);
  const onKey = useCallback(
    (choice: KeyChoice | undefined) => setKey(choice),
    [],
  );

  const pick = (next: ProductOperation | null) => {
    if (!next || next.operationId === operationId) return;
    setOperationId(next.operationId);
    setParams(initialParams(next));
    setBody(initialBody(next));
    setError(undefined);
    setResponse(undefined);
  };

  const onPickHistory = (entry: TryItHistoryEntry) => {
    const target = operations.find(o => o.operationId === entry.operationId);
    if (!target) {
      setError(
        new Error(
          `${entry.operationId} is no longer an operation of ${product.title}`,
        ),
      );
      return;
    }
    setOperationId(target.operationId);
    setParams({ ...initialParams(target), ...entry.params });
    setBody(entry.body ?? initialBody(target));
    if (entry.keyId) setKey({ kind: 'id', keyId: entry.keyId });
    setError(undefined);
    setResponse(undefined);
  };

  const onSend = async () => {
    if (!operation) return;
    setError(undefined);
    let request;
    try {
      request = buildTryRequest({
        productId: product.id,
        operation,
        params,
        body,
        key,
      });
    } catch (e) {
      if (e instanceof TryItFormError) {
        setError(e);
        setResponse(undefined);
        return;
      }
      throw e;
    }
    const entry: TryItHistoryEntry = {
      id: newId(),
      at: new Date().toISOString(),
      productId: product.id,
      operationId: operation.operationId,
      method: operation.method,
      path: operation.path,
      params,
      ...(operation.requestBody ? { body } : {}),
      ...(request.keyId ? { keyId: request.keyId } : {}),
    };
    setPending(true);
    try {
      const result = await api.trySandbox(request);
      setResponse(result);
      setHistory(
        addTryItHistory({
          ...entry,
          statusCode: result.statusCode,
          latencyMs: result.latencyMs,
        }),
      );
    } catch (e) {
      const failure = e instanceof Error ? e : new Error(String(e));
      setResponse(undefined);
      setError(failure);
      const { code, message } = describeError(failure);
      setHistory(addTryItHistory({ ...entry, error: code ?? message }));
    } finally {
      setPending(false);
    }
  };

  if (!operations.length || !operation) {
    return (
      <EmptyState
        missing="content"
        title="Nothing to try"
        description="The spec of this API defines no operations."
      />
    );
  }

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={8}>
        <InfoCard
          title="Try it"
          subheader={
            product.sandboxUrl
              ? `Calls go to the sandbox of ${product.title}.`
              : `Calls go to a mock of ${product.title} generated from its spec.`
          }
        >
          <Autocomplete
            id={`try-it-operation-${product.id}`}
            options={operations}
            value={operation}
            disableClearable
            onChange={(_e, value) => pick(value)}
            getOptionLabel={operationLabel}
            getOptionSelected={(a, b) => a.operationId === b.operationId}
            renderOption={o => (
              <Box>
                <Typography variant="body2">
                  <code>{o.method.toUpperCase()}</code> {o.path}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {o.summary ?? o.operationId}
                </Typography>
              </Box>
            )}
            renderInput={input => (
              <TextField
                {...input}
                label="Operation"
                variant="outlined"
                helperText={operation.summary ?? operation.operationId}
              />
            )}
          />
          <Box mt={2}>
            <ParameterFields
              key={operation.operationId}
              operation={operation}
              values={params}
              onChange={(k, v) => setParams(all => ({ ...all, [k]: v }))}
            />
          </Box>
          {operation.requestBody && (
            <Box mt={2}>
              <TextField
                id={`try-it-body-${product.id}`}
                label={`Body (${operation.requestBody.contentType})`}
                required={operation.requestBody.required}
                value={body}
                onChange={e => setBody(e.target.value)}
                multiline
                minRows={6}
                maxRows={24}
                fullWidth
                variant="outlined"
                inputProps={{
                  spellCheck: false,
                  style: { fontFamily: 'monospace', fontSize: 13 },
                }}
              />
            </Box>
          )}
          <Box mt={2}>
            <KeyPicker
              productId={product.id}
              productTitle={product.title}
              value={key}
              onChange={onKey}
            />
          </Box>
          <Box mt={2} display="flex" alignItems="center">
            <Button
              variant="contained"
              color="primary"
              startIcon={<SendIcon />}
              disabled={pending}
              onClick={onSend}
            >
              Send
            </Button>
            {pending && (
              <Box ml={2} flex={1}>
                <Progress />
              </Box>
            )}
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <TryItHistory
          entries={productHistory}
          onPick={onPickHistory}
          onClear={() => setHistory(clearTryItHistory(product.id))}
        />
      </Grid>
      <Grid item xs={12} aria-live="polite">
        {error && <TryItProblem error={error} />}
        {response && (
          <Grid container spacing={2}>
            <Grid item xs={12} lg={7}>
              <ResponseViewer response={response} />
            </Grid>
            <Grid item xs={12} lg={5}>
              <RequestSnippets curl={response.curl} />
            </Grid>
          </Grid>
        )}
      </Grid>
    </Grid>
  );
}
