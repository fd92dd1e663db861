import { InputError } from '@backstage/errors';
import { parse as parseYaml } from 'yaml';
import { formatBytes } from '../reading/formatBytes';

export type SpecFormat = 'json' | 'yaml';

/** A parsed spec document and the syntax it was written in. */
export type ParsedSpecText = {
  document: unknown;
  format: SpecFormat;
};

/**
 * Parses JSON or YAML spec text. The size is checked before parsing; JSON is
 * tried first when the name says `.json` or the text starts with `{`, since
 * `JSON.parse` is far faster than a YAML parser on large specs.
 *
 * @param name - names the document in error messages
 * @param hint - the format the file name suggests, if any
 */
export function parseSpecText(
  text: string,
  options: { name: string; hint?: SpecFormat; maxBytes: number },
): ParsedSpecText {
  const { name, hint, maxBytes } = options;
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    throw new InputError(
      `${name} is ${formatBytes(bytes)}, above the limit of ${formatBytes(
        maxBytes,
      )}`,
    );
  }
  if (!text.trim()) {
    throw new InputError(`${name} is empty`);
  }
  const looksLikeJson = hint === 'json' || /^\s*\{/.test(text);
  let jsonError: Error | undefined;
  if (looksLikeJson) {
    try {
      return { document: JSON.parse(text), format: 'json' };
    } catch (error) {
      jsonError = error as Error;
      if (hint === 'json') {
        throw new InputError(`${name} is not valid JSON: ${jsonError.message}`);
      }
    }
  }
  try {
    // The same alias limit as the marketplace backend, which parses the
    // result again; it also stops "billion laughs" documents.
    const document = parseYaml(text, {
      maxAliasCount: 1000,
      logLevel: 'error',
    });
    return { document, format: 'yaml' };
  } catch (error) {
    if (jsonError) {
      // Meant as JSON: the JSON error says more than the YAML one.
      throw new InputError(`${name} is not valid JSON: ${jsonError.message}`);
    }
    // The first line has the position; the rest is a code frame.
    const message = (error as Error).message.split('\n')[0].replace(/:$/, '');
    throw new InputError(`${name} is not valid YAML: ${message}`);
  }
}
