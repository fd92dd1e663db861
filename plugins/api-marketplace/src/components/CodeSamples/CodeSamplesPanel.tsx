import {
  CardTab,
  CodeSnippet,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  TabbedCard,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CodeIcon from '@material-ui/icons/Code';
import { useOperationSnippets } from '../../hooks';

/** The highlight.js grammar used for a snippet language of the backend. */
const highlightLanguage: Record<string, string> = {
  curl: 'bash',
  shell: 'bash',
  node: 'javascript',
  javascript: 'javascript',
  typescript: 'typescript',
  python: 'python',
  go: 'go',
  java: 'java',
};

/**
 * Ready-to-run code for one operation in several languages, fetched from the
 * backend only when the reader asks for it.
 */
export function CodeSamplesPanel(props: {
  productId: string;
  operationId: string;
}) {
  const { productId, operationId } = props;
  const [{ value, loading, error }, load] = useOperationSnippets(
    productId,
    operationId,
  );

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <Box>
        <ResponseErrorPanel error={error} title="Could not load code samples" />
        <Button size="small" onClick={() => load()}>
          Retry
        </Button>
      </Box>
    );
  }
  if (!value) {
    return (
      <Button
        variant="outlined"
        color="primary"
        startIcon={<CodeIcon />}
        onClick={() => load()}
      >
        Show code samples
      </Button>
    );
  }
  if (value.snippets.length === 0) {
    return (
      <EmptyState
        missing="content"
        title="No code samples"
        description="The marketplace could not generate code for this operation."
      />
    );
  }
  return (
    <TabbedCard title="Code samples">
      {value.snippets.map(snippet => (
        <CardTab key={snippet.language} label={snippet.label}>
          <CodeSnippet
            text={snippet.code}
            language={highlightLanguage[snippet.language] ?? snippet.language}
            showCopyCodeButton
            wrapLongLines
          />
        </CardTab>
      ))}
    </TabbedCard>
  );
}
