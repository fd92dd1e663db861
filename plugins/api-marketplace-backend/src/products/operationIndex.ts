import type {
  ProductDetail,
  ProductOperation,
  ProductOperationSummary,
} from '@portico/plugin-api-marketplace-common';

// Keyed by the detail object, which ProductService replaces whenever a spec is
// re-parsed: an entry lives exactly as long as the operations it was built from.
const summaries = new WeakMap<ProductDetail, ProductOperationSummary[]>();
const byOperationId = new WeakMap<
  ProductDetail,
  Map<string, ProductOperation>
>();

/** The small entry of one operation: what a list, a group or a search needs. */
export function summarizeOperation(
  operation: ProductOperation,
): ProductOperationSummary {
  const { operationId, method, path, summary, tags, deprecated } = operation;
  return { operationId, method, path, summary, tags, deprecated };
}

/**
 * The operation index of a product: one small entry per operation, in the
 * order and with the ids of `product.operations`. Built once per parse.
 */
export function operationIndexOf(
  product: ProductDetail,
): ProductOperationSummary[] {
  let index = summaries.get(product);
  if (!index) {
    index = product.operations.map(summarizeOperation);
    summaries.set(product, index);
  }
  return index;
}

/** One operation of a product exactly as listed in `product.operations`. */
export function findOperation(
  product: ProductDetail,
  operationId: string,
): ProductOperation | undefined {
  let operations = byOperationId.get(product);
  if (!operations) {
    // extractOperations makes ids unique, so no operation shadows another.
    operations = new Map(product.operations.map(op => [op.operationId, op]));
    byOperationId.set(product, operations);
  }
  return operations.get(operationId);
}
