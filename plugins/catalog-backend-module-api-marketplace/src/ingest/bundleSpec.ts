import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import $RefParser, {
  FileInfo,
  JSONParserError,
  JSONParserErrorGroup,
  ParserOptions,
} from '@apidevtools/json-schema-ref-parser';
import { InputError, toError } from '@backstage/errors';
import {
  SpecLocation,
  formatHint,
  specLocationFromUrl,
} from '../reading/SpecLocation';
import { parseSpecText } from './parseSpecText';

/** Referenced documents above this count are refused. */
const MAX_REFERENCED_FILES = 200;
/** Unresolvable `$ref`s listed in one error message. */
const MAX_LISTED_ERRORS = 5;

export type BundleOptions = {
  /** The parsed root document; it is modified in place. */
  document: object;
  /** Where the root document lives; relative `$ref`s resolve against it. */
  location?: SpecLocation;
  /** Names the root document in error messages. */
  name: string;
  /** Reads a referenced document. */
  read(location: SpecLocation): Promise<string>;
  maxBytes: number;
};

export type BundleResult = {
  document: object;
  /** Whether any `$ref` pointed to another document. */
  external: boolean;
};

/**
 * Resolves every `$ref` of a spec, pulling the referenced parts of other
 * documents into it, so that the result only has internal `#/…` references
 * (JSON Schema $Ref Parser's bundle, the engine of Swagger Parser).
 *
 * Documents are read through `read` only; the parser's own file and HTTP
 * resolvers are off, so what may be read is decided in one place.
 */
export async function bundleSpec(
  options: BundleOptions,
): Promise<BundleResult> {
  const { document, location, name, maxBytes } = options;
  const readErrors = new Map<string, Error>();
  let reads = 0;

  const parserOptions: ParserOptions = {
    continueOnError: true,
    resolve: {
      file: false,
      http: false,
      portico: {
        order: 1,
        canRead: true,
        read: async (file: FileInfo) => {
          try {
            reads += 1;
            if (reads > MAX_REFERENCED_FILES) {
              throw new InputError(
                `more than ${MAX_REFERENCED_FILES} documents are referenced`,
              );
            }
            return await options.read(specLocationFromUrl(file.url));
          } catch (error) {
            readErrors.set(file.url, toError(error));
            throw error;
          }
        },
      },
    },
    parse: {
      json: false,
      yaml: false,
      text: false,
      binary: false,
      spec: {
        order: 1,
        canParse: true,
        parse: (file: FileInfo) => {
          try {
            const text =
              typeof file.data === 'string'
                ? file.data
                : file.data.toString('utf8');
            return parseSpecText(text, {
              name: displayName(file.url, location),
              hint: formatHint(file.url),
              maxBytes,
            }).document;
          } catch (error) {
            readErrors.set(file.url, toError(error));
            throw error;
          }
        },
      },
    },
  };

  const parser = new $RefParser();
  try {
    await parser.bundle(baseOf(location), document, parserOptions);
  } catch (error) {
    if (error instanceof JSONParserErrorGroup) {
      throw new InputError(
        `${name} has unresolvable $refs: ${describeErrors(
          error.errors,
          document,
          location,
          readErrors,
        )}`,
      );
    }
    if (error instanceof JSONParserError) {
      throw new InputError(
        `${name} has unresolvable $refs: ${describeErrors(
          [error],
          document,
          location,
          readErrors,
        )}`,
      );
    }
    throw error;
  }
  return { document, external: parser.$refs.paths().length > 1 };
}

/**
 * The base the parser resolves relative references against. Without a
 * location there is none: the parser then resolves against its working
 * directory, and `read` refuses those files, as for any spec that is not
 * from a file location.
 */
function baseOf(location?: SpecLocation): string {
  if (!location) {
    return '';
  }
  return location.type === 'file'
    ? pathToFileURL(location.target).href
    : location.target;
}

function describeErrors(
  errors: JSONParserError[],
  document: object,
  location: SpecLocation | undefined,
  readErrors: Map<string, Error>,
): string {
  const messages = errors.slice(0, MAX_LISTED_ERRORS).map(error => {
    const at = error.path?.length ? ` at ${error.path.join('.')}` : '';
    const ref = refAt(document, error.path);
    const subject = ref ? `$ref "${ref}"${at}` : `a $ref${at}`;
    // Read and parse failures carry the parser's generic message; the
    // reader's own error says what went wrong.
    const cause = [...readErrors].find(([url]) => error.message.includes(url));
    if (cause) {
      return `${subject}: ${cause[1].message}`;
    }
    const where = error.source
      ? ` in ${displayName(error.source, location)}`
      : '';
    return `${subject}: ${error.message}${where}`;
  });
  const more =
    errors.length > MAX_LISTED_ERRORS
      ? ` (and ${errors.length - MAX_LISTED_ERRORS} more)`
      : '';
  return messages.join('; ') + more;
}

/** The `$ref` value at a path of the document, if it is still there. */
function refAt(document: object, at: Array<string | number> | null) {
  let node: unknown = document;
  for (const segment of at ?? []) {
    if (typeof node !== 'object' || node === null) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[String(segment)];
  }
  const ref = (node as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === 'string' ? ref : undefined;
}

/** A referenced document's name relative to the root document, if a file. */
function displayName(url: string, location?: SpecLocation): string {
  if (url.startsWith('file:') && location?.type === 'file') {
    return path.relative(
      path.dirname(location.target),
      fileURLToPath(url.split('#')[0]),
    );
  }
  return url;
}
