import {
  CardTab,
  CodeSnippet,
  InfoCard,
  TabbedCard,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { SandboxTryResponse } from '@portico/plugin-api-marketplace-common';
import {
  KEY_VARIABLE,
  parseCurl,
  toJavaScript,
  toPython,
} from '../../lib/curl';
import { describeError } from '../../lib/errors';
import { formatCount } from '../../lib/format';

/** A byte count for people, e.g. `512 B`, `1.5 KB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The body as text to show: JSON pretty-printed, anything else as sent. The
 * backend sends text; an already parsed body is accepted too.
 */
export function displayBody(response: SandboxTryResponse): {
  text: string;
  language: string;
} {
  const body: unknown = response.body;
  if (body === undefined || body === null || body === '') {
    return { text: '', language: 'text' };
  }
  if (typeof body !== 'string') {
    return { text: JSON.stringify(body, null, 2), language: 'json' };
  }
  const contentType = response.headers['content-type'] ?? '';
  if (/json/i.test(contentType) || /^\s*[[{]/.test(body)) {
    try {
      return {
        text: JSON.stringify(JSON.parse(body), null, 2),
        language: 'json',
      };
    } catch {
      // A truncated or invalid JSON body is shown as it came.
    }
  }
  return {
    text: body,
    language: /xml|html/i.test(contentType) ? 'xml' : 'text',
  };
}

function statusColor(status: number): 'primary' | 'secondary' | 'default' {
  if (status >= 200 && status < 300) return 'primary';
  if (status >= 400) return 'secondary';
  return 'default';
}

/** Status, latency, size, headers and body of one sandbox call. */
export function ResponseViewer(props: { response: SandboxTryResponse }) {
  const { response } = props;
  const body = displayBody(response);
  const headers = Object.entries(response.headers).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return (
    <InfoCard title="Response">
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={2}
        role="group"
        aria-label="Response summary"
      >
        <Chip
          label={`Status ${response.statusCode}`}
          color={statusColor(response.statusCode)}
        />
        <Box ml={2}>
          <Typography variant="body2">
            {formatCount(Math.round(response.latencyMs))} ms
          </Typography>
        </Box>
        <Box ml={2}>
          <Typography variant="body2">{formatBytes(response.size)}</Typography>
        </Box>
      </Box>
      {response.truncated && (
        <Box mb={2}>
          <Alert severity="warning">
            The body was cut at the sandbox's size limit; only its start is
            shown.
          </Alert>
        </Box>
      )}
      <TabbedCard title="">
        <CardTab label="Body">
          {body.text ? (
            <Box
              aria-label="Response body"
              role="region"
              maxHeight={560}
              overflow="auto"
            >
              <CodeSnippet
                text={body.text}
                language={body.language}
                showCopyCodeButton
                wrapLongLines
              />
            </Box>
          ) : (
            <Typography variant="body2" color="textSecondary">
              No body.
            </Typography>
          )}
        </CardTab>
        <CardTab label={`Headers (${headers.length})`}>
          <Table size="small" aria-label="Response headers">
            <TableBody>
              {headers.map(([name, value]) => (
                <TableRow key={name}>
                  <TableCell component="th" scope="row">
                    <code>{name}</code>
                  </TableCell>
                  <TableCell>
                    <code style={{ wordBreak: 'break-all' }}>{value}</code>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardTab>
      </TabbedCard>
    </InfoCard>
  );
}

/**
 * This exact request as code: the backend's curl command (credentials
 * redacted), and the same request in JavaScript and Python read from it.
 */
export function RequestSnippets(props: { curl: string }) {
  const parsed = parseCurl(props.curl);
  const samples = [
    { label: 'cURL', language: 'bash', code: props.curl },
    ...(parsed
      ? [
          {
            label: 'JavaScript',
            language: 'javascript',
            code: toJavaScript(parsed),
          },
          { label: 'Python', language: 'python', code: toPython(parsed) },
        ]
      : []),
  ];
  return (
    <>
      <TabbedCard title="This request as code">
        {samples.map(sample => (
          <CardTab key={sample.label} label={sample.label}>
            <CodeSnippet
              text={sample.code}
              language={sample.language}
              showCopyCodeButton
              wrapLongLines
            />
          </CardTab>
        ))}
      </TabbedCard>
      <Typography variant="caption" color="textSecondary">
        The key is read from the environment: run{' '}
        <code>export {KEY_VARIABLE}=sk_test_…</code> with your sandbox key
        first.
      </Typography>
    </>
  );
}

/**
 * Why a call was not made: the backend's problem (its stable code, status
 * and message) or what the form is missing.
 */
export function TryItProblem(props: { error: Error }) {
  const { message, code, statusCode } = describeError(props.error);
  const title = [code, statusCode ? `HTTP ${statusCode}` : undefined]
    .filter(Boolean)
    .join(' · ');
  return (
    <Alert severity="error" role="alert">
      {title && <AlertTitle>{title}</AlertTitle>}
      {message}
    </Alert>
  );
}
