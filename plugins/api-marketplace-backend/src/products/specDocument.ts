import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { InputError } from '@backstage/errors';

/** A parsed OpenAPI 3.x or Swagger 2.0 document. */
export type SpecDocument = Record<string, any> & {
  paths?: Record<string, Record<string, any>>;
};

/** Larger specs are refused before parsing to protect the backend. */
export const MAX_SPEC_BYTES = 32 * 1024 * 1024;

export function hashSpecText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Parses JSON or YAML spec text; anything that is not OpenAPI is refused. */
export function parseSpecText(text: string): SpecDocument {
  if (Buffer.byteLength(text) > MAX_SPEC_BYTES) {
    throw new InputError(`spec is larger than ${MAX_SPEC_BYTES} bytes`);
  }
  let doc: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so one parser serves both.
    doc = parseYaml(text, { maxAliasCount: 1000 });
  } catch (error) {
    throw new InputError(
      `spec is not valid JSON or YAML: ${(error as Error).message}`,
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InputError('spec is not an object');
  }
  const spec = doc as SpecDocument;
  if (typeof spec.openapi !== 'string' && spec.swagger !== '2.0') {
    throw new InputError(
      'spec has neither an `openapi` nor a `swagger: "2.0"` field',
    );
  }
  return spec;
}

/** Follows local `#/…` references; external ones are left for the bundler. */
export function resolveRef<T = any>(doc: SpecDocument, value: T, depth = 0): T {
  const ref = (value as any)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || depth > 32) {
    return value;
  }
  let target: any = doc;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw)
      .replace(/~1/g, '/')
      .replace(/~0/g, '~');
    target = target?.[segment];
    if (target === undefined) {
      return value;
    }
  }
  return resolveRef(doc, target, depth + 1);
}
