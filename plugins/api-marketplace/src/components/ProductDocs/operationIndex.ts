import type { ProductOperationSummary } from '@portico/plugin-api-marketplace-common';

/** Operations without a tag are listed under this name. */
export const UNTAGGED = 'Other';

export type OperationGroup = {
  tag: string;
  operations: ProductOperationSummary[];
};

/** The operations of a spec, grouped and prepared for fast search. */
export type OperationIndex = {
  groups: OperationGroup[];
  search(query: string): ProductOperationSummary[];
};

function haystackOf(operation: ProductOperationSummary): string {
  return [
    operation.method,
    operation.path,
    operation.operationId,
    operation.summary ?? '',
    ...operation.tags,
  ]
    .join(' ')
    .toLocaleLowerCase('en-US');
}

/**
 * Groups operations by tag (an operation with several tags is listed under
 * each, like Swagger UI does) and lowercases the searchable text once, so a
 * search over thousands of operations is a plain scan.
 */
export function indexOperations(
  operations: ProductOperationSummary[],
): OperationIndex {
  const byTag = new Map<string, ProductOperationSummary[]>();
  const haystacks = operations.map(haystackOf);
  for (const operation of operations) {
    const tags = operation.tags.length ? operation.tags : [UNTAGGED];
    for (const tag of new Set(tags)) {
      let group = byTag.get(tag);
      if (!group) {
        group = [];
        byTag.set(tag, group);
      }
      group.push(operation);
    }
  }
  return {
    groups: [...byTag.entries()].map(([tag, ops]) => ({
      tag,
      operations: ops,
    })),
    search(query) {
      const terms = query
        .toLocaleLowerCase('en-US')
        .split(/\s+/)
        .filter(Boolean);
      if (!terms.length) return operations;
      return operations.filter((_, i) =>
        terms.every(term => haystacks[i].includes(term)),
      );
    },
  };
}

/** An example value as text: strings as they are, the rest as JSON. */
export function exampleText(example: unknown): string {
  return typeof example === 'string'
    ? example
    : JSON.stringify(example, null, 2);
}
