import { HTTPSnippet, HarRequest } from '@readme/httpsnippet';
import type { ProductOperation } from '@portico/plugin-api-marketplace-common';

/** The languages offered for every operation, as httpsnippet targets. */
const TARGETS = [
  { language: 'curl', label: 'cURL', target: 'shell', client: 'curl' },
  {
    language: 'javascript',
    label: 'JavaScript (fetch)',
    target: 'javascript',
    client: 'fetch',
  },
  {
    language: 'node',
    label: 'Node.js (fetch)',
    target: 'node',
    client: 'fetch',
  },
  {
    language: 'python',
    label: 'Python (requests)',
    target: 'python',
    client: 'requests',
  },
  { language: 'go', label: 'Go', target: 'go', client: 'native' },
  {
    language: 'java',
    label: 'Java (OkHttp)',
    target: 'java',
    client: 'okhttp',
  },
] as const;

export type CodeSnippet = {
  language: string;
  label: string;
  code: string;
};

function exampleText(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The HAR request of an operation, filled with the spec's examples. */
export function harRequestOf(
  operation: ProductOperation,
  baseUrl: string,
): HarRequest {
  let path = operation.path;
  const queryString: HarRequest['queryString'] = [];
  const headers: HarRequest['headers'] = [
    { name: 'X-API-Key', value: '$API_KEY' },
  ];
  for (const param of operation.parameters) {
    const value = exampleText(
      param.example,
      param.in === 'path' ? param.name : '',
    );
    if (param.in === 'path') {
      path = path.split(`{${param.name}}`).join(encodeURIComponent(value));
    } else if (
      param.in === 'query' &&
      (param.required || param.example !== undefined)
    ) {
      queryString.push({ name: param.name, value });
    } else if (param.in === 'header' && param.required) {
      headers.push({ name: param.name, value });
    }
  }
  const request: Omit<HarRequest, 'postData'> & Partial<HarRequest> = {
    method: operation.method,
    url: `${baseUrl.replace(/\/+$/, '')}${path}`,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers,
    queryString,
    headersSize: -1,
    bodySize: -1,
  };
  if (operation.requestBody) {
    headers.push({
      name: 'Content-Type',
      value: operation.requestBody.contentType,
    });
    request.postData = {
      mimeType: operation.requestBody.contentType,
      text: exampleText(operation.requestBody.example, '{}'),
    };
  }
  return request as HarRequest;
}

/** Code that performs the operation, in every offered language. */
export function generateCodeSnippets(
  operation: ProductOperation,
  baseUrl: string,
): CodeSnippet[] {
  const snippet = new HTTPSnippet(harRequestOf(operation, baseUrl));
  return TARGETS.flatMap(({ language, label, target, client }) => {
    const [code] = snippet.convert(target, client);
    return typeof code === 'string' ? [{ language, label, code }] : [];
  });
}
