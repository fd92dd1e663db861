import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import type { SpecDocument } from '../products/specDocument';

/** An operation as Prism's HTTP engine uses it. */
export type HttpOperation = Awaited<
  ReturnType<typeof getHttpOperationsFromSpec>
>[number];

/** Bounds that keep schema-driven generation cheap; see `sanitizeSpec`. */
const CLAMPS: Record<string, number> = {
  minItems: 20,
  maxItems: 200,
  minLength: 1000,
  minProperties: 20,
};

/**
 * A regular expression with a quantified group that itself contains a
 * quantifier (`(a+)+`, `(\w*)*`, `(x{2,})+`) can backtrack exponentially.
 * A heuristic: such patterns are dropped rather than run on user input.
 */
const NESTED_QUANTIFIER =
  /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,?\d*\})/;
const HUGE_REPEAT = /\{\s*(\d{4,})\s*(,\s*\d*)?\}/;

export function isRiskyPattern(pattern: string): boolean {
  return (
    pattern.length > 500 ||
    NESTED_QUANTIFIER.test(pattern) ||
    HUGE_REPEAT.test(pattern)
  );
}

/**
 * Makes a spec safe to hand to Prism, which would otherwise:
 * - follow external `$ref`s (reading local files or fetching URLs);
 * - run `callbacks`, making outbound HTTP requests to URLs taken from the
 *   request body;
 * - generate arrays/strings as large as `minItems`/`minLength` say
 *   (a spec with `minItems: 1e9` would exhaust memory);
 * - run catastrophic-backtracking `pattern`s against user input.
 * Works on a deep copy; counts what it changed for logging.
 */
export function sanitizeSpec(doc: SpecDocument): {
  doc: SpecDocument;
  changes: string[];
} {
  const copy = structuredClone(doc) as SpecDocument;
  const changes: string[] = [];
  const seen = new WeakSet<object>();
  const stack: Array<{ node: any; path: string }> = [{ node: copy, path: '#' }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (!Array.isArray(node)) {
      if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) {
        changes.push(`${path}: external $ref ${node.$ref} not followed`);
        delete node.$ref;
      }
      for (const [key, limit] of Object.entries(CLAMPS)) {
        if (typeof node[key] === 'number' && node[key] > limit) {
          changes.push(`${path}: ${key} ${node[key]} lowered to ${limit}`);
          node[key] = limit;
        }
      }
      if (typeof node.pattern === 'string' && isRiskyPattern(node.pattern)) {
        changes.push(`${path}: pattern ${node.pattern} not used`);
        delete node.pattern;
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (child && typeof child === 'object') {
        stack.push({ node: child, path: `${path}/${key}` });
      }
    }
  }
  for (const [route, item] of Object.entries(copy.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    for (const op of Object.values(item)) {
      if (op && typeof op === 'object' && 'callbacks' in op) {
        changes.push(`${route}: callbacks not run`);
        delete (op as any).callbacks;
      }
    }
  }
  if (copy.components?.callbacks) delete copy.components.callbacks;
  return { doc: copy, changes };
}

/**
 * Turns a parsed OpenAPI 3.x or Swagger 2.0 document into Prism operations.
 * The document is sanitised first (see `sanitizeSpec`); with no external
 * `$ref` left, Prism's resolver does no file or network I/O.
 */
export async function prepareOperations(
  doc: SpecDocument,
): Promise<{ operations: HttpOperation[]; changes: string[] }> {
  const { doc: safe, changes } = sanitizeSpec(doc);
  const operations = await getHttpOperationsFromSpec(safe);
  for (const op of operations) {
    // Belt and braces: Prism fetches callback URLs after mocking.
    delete (op as { callbacks?: unknown }).callbacks;
  }
  return { operations, changes };
}
