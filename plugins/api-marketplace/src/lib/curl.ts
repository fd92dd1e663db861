/** A request read back from a curl command. */
export type CurlRequest = {
  method: string;
  url: string;
  headers: Array<[name: string, value: string]>;
  body?: string;
};

/** The value the backend shows instead of a credential it redacted. */
const REDACTED = '<redacted>';

/**
 * The shell variable the backend's curl reads the key from
 * (`--header "Authorization: Bearer $PORTICO_KEY"`); the other snippets read
 * the same environment variable.
 */
export const KEY_VARIABLE = 'PORTICO_KEY';

const keyReference = new RegExp(`\\$\\{?${KEY_VARIABLE}\\}?`);

/** A header value as code: the key from the variable, the rest as is. */
function headerValue(value: string, language: 'javascript' | 'python'): string {
  if (value === REDACTED) return KEY_VARIABLE;
  const parts = value.split(keyReference);
  if (parts.length === 1) return JSON.stringify(value);
  if (language === 'javascript') {
    const text = parts.map(p => p.replace(/[`\\$]/g, m => `\\${m}`));
    return `\`${text.join(`\${${KEY_VARIABLE}}`)}\``;
  }
  const text = parts.map(p =>
    p
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/[{}]/g, m => m + m),
  );
  return `f"${text.join(`{${KEY_VARIABLE}}`)}"`;
}

/** Splits a POSIX shell command line into words (quotes, escapes, `\` line continuations). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const push = (text: string) => {
    word = (word ?? '') + text;
  };
  while (i < command.length) {
    const c = command[i];
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error('Unterminated single quote');
      push(command.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < command.length && command[j] !== '"') {
        if (command[j] === '\\' && '"\\$`\n'.includes(command[j + 1] ?? '')) {
          if (command[j + 1] !== '\n') text += command[j + 1];
          j += 2;
        } else {
          text += command[j];
          j += 1;
        }
      }
      if (j >= command.length) throw new Error('Unterminated double quote');
      push(text);
      i = j + 1;
    } else if (c === '\\') {
      const next = command[i + 1];
      if (next === '\n') {
        i += 2;
      } else if (next === '\r' && command[i + 2] === '\n') {
        i += 3;
      } else {
        push(next ?? '');
        i += 2;
      }
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
    } else {
      push(c);
      i += 1;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * Reads a curl command as the backend writes it (`--request`, `--url`,
 * `--header`, `--data-raw`; short forms too). Undefined for anything else.
 */
export function parseCurl(command: string): CurlRequest | undefined {
  let words: string[];
  try {
    words = shellWords(command);
  } catch {
    return undefined;
  }
  if (words[0] !== 'curl') return undefined;
  let method: string | undefined;
  let url: string | undefined;
  let body: string | undefined;
  const headers: CurlRequest['headers'] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const value = () => words[++i];
    switch (word) {
      case '--request':
      case '-X':
        method = value()?.toUpperCase();
        break;
      case '--head':
      case '-I':
        method = 'HEAD';
        break;
      case '--url':
        url = value();
        break;
      case '--header':
      case '-H': {
        const header = value() ?? '';
        const colon = header.indexOf(':');
        if (colon > 0) {
          headers.push([
            header.slice(0, colon).trim(),
            header.slice(colon + 1).trim(),
          ]);
        }
        break;
      }
      case '--data-raw':
      case '--data':
      case '--data-binary':
      case '-d':
        body = value();
        break;
      default:
        if (word.startsWith('-')) return undefined;
        url = word;
    }
  }
  if (!url) return undefined;
  return {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    url,
    headers,
    body,
  };
}

function isJson(request: CurlRequest): boolean {
  return request.headers.some(
    ([name, value]) =>
      name.toLowerCase() === 'content-type' && /json/i.test(value),
  );
}

function parsedBody(request: CurlRequest): { json?: unknown; text?: string } {
  if (request.body === undefined) return {};
  if (isJson(request)) {
    try {
      return { json: JSON.parse(request.body) };
    } catch {
      // Sent as text below.
    }
  }
  return { text: request.body };
}

function indent(text: string, by: string): string {
  return text.split('\n').join(`\n${by}`);
}

/** `fetch` code doing the same request; the key comes from `PORTICO_KEY`. */
export function toJavaScript(request: CurlRequest): string {
  const lines = [
    `// Node.js 18+; export ${KEY_VARIABLE}=sk_test_… first`,
    `const ${KEY_VARIABLE} = process.env.${KEY_VARIABLE};`,
    '',
    `const response = await fetch(${JSON.stringify(request.url)}, {`,
    `  method: ${JSON.stringify(request.method)},`,
  ];
  if (request.headers.length) {
    lines.push('  headers: {');
    for (const [name, value] of request.headers) {
      lines.push(
        `    ${JSON.stringify(name)}: ${headerValue(value, 'javascript')},`,
      );
    }
    lines.push('  },');
  }
  const { json, text } = parsedBody(request);
  if (json !== undefined) {
    lines.push(
      `  body: JSON.stringify(${indent(JSON.stringify(json, null, 2), '  ')}),`,
    );
  } else if (text !== undefined) {
    lines.push(`  body: ${JSON.stringify(text)},`);
  }
  lines.push('});', 'console.log(response.status, await response.text());');
  return lines.join('\n');
}

/** A JSON value as a Python literal. */
export function toPythonLiteral(value: unknown, depth = 0): string {
  const pad = '    '.repeat(depth + 1);
  const end = '    '.repeat(depth);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value
      .map(v => `${pad}${toPythonLiteral(v, depth + 1)},`)
      .join('\n')}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(
      ([k, v]) =>
        `${pad}${JSON.stringify(k)}: ${toPythonLiteral(v, depth + 1)},`,
    )
    .join('\n')}\n${end}}`;
}

/** `requests` code doing the same request; the key comes from `PORTICO_KEY`. */
export function toPython(request: CurlRequest): string {
  const lines = [
    'import os',
    '',
    'import requests',
    '',
    `${KEY_VARIABLE} = os.environ["${KEY_VARIABLE}"]`,
    '',
  ];
  const args = [JSON.stringify(request.method), JSON.stringify(request.url)];
  if (request.headers.length) {
    lines.push('headers = {');
    for (const [name, value] of request.headers) {
      lines.push(
        `    ${JSON.stringify(name)}: ${headerValue(value, 'python')},`,
      );
    }
    lines.push('}');
    args.push('headers=headers');
  }
  const { json, text } = parsedBody(request);
  if (json !== undefined) {
    lines.push(`payload = ${toPythonLiteral(json)}`);
    args.push('json=payload');
  } else if (text !== undefined) {
    lines.push(`payload = ${JSON.stringify(text)}`);
    args.push('data=payload');
  }
  lines.push(
    '',
    `response = requests.request(${args.join(', ')}, timeout=30)`,
    'print(response.status_code, response.text)',
  );
  return lines.join('\n');
}
