import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useState,
} from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  ProductDetail,
  ProductOperation,
  ProductOperationSummary,
  ProductSummary,
} from '@portico/plugin-api-marketplace-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { marketplaceApiRef } from '../../api';

/**
 * The product header of the Docs view (title, version, lint, counts) from the
 * product list, so the Docs view never downloads every operation up front.
 * `undefined` when the marketplace has no such product.
 */
export function useProductSummary(id: string) {
  const api = useApi(marketplaceApiRef);
  return useAsync(
    async () => (await api.listProducts()).find(product => product.id === id),
    [api, id],
  );
}

/** The operations a caller already holds, if it passed a whole product. */
function knownOperations(
  product: ProductSummary | ProductDetail,
): ProductOperation[] | undefined {
  return 'operations' in product && Array.isArray(product.operations)
    ? product.operations
    : undefined;
}

/**
 * The operation index of a product: one small entry per operation, fetched
 * once. A product that already carries its operations is used as it is.
 */
export function useOperationIndex(product: ProductSummary | ProductDetail) {
  const api = useApi(marketplaceApiRef);
  const known = knownOperations(product);
  const state = useAsyncRetry<ProductOperationSummary[]>(
    async () => known ?? api.listOperations(product.id),
    [api, product.id, known],
  );
  return known
    ? { value: known, loading: false, error: undefined, retry: state.retry }
    : state;
}

/**
 * Full operations by id, each fetched at most once and shared by every list
 * that shows the operation. A failed fetch is forgotten, so it can be retried.
 */
export class OperationDetailsCache {
  private readonly values = new Map<string, ProductOperation>();
  private readonly pending = new Map<string, Promise<ProductOperation>>();

  constructor(
    private readonly fetchOperation: (
      operationId: string,
    ) => Promise<ProductOperation>,
    known: ProductOperation[] = [],
  ) {
    for (const operation of known) {
      this.values.set(operation.operationId, operation);
    }
  }

  /** The operation if it has been loaded, without fetching. */
  peek(operationId: string): ProductOperation | undefined {
    return this.values.get(operationId);
  }

  load(operationId: string): Promise<ProductOperation> {
    const value = this.values.get(operationId);
    if (value) return Promise.resolve(value);
    let pending = this.pending.get(operationId);
    if (!pending) {
      pending = this.fetchOperation(operationId)
        .then(operation => {
          this.values.set(operationId, operation);
          return operation;
        })
        .finally(() => this.pending.delete(operationId));
      this.pending.set(operationId, pending);
    }
    return pending;
  }
}

/** The details cache of one product's Docs view. */
export function useOperationDetailsCache(
  product: ProductSummary | ProductDetail,
): OperationDetailsCache {
  const api = useApi(marketplaceApiRef);
  const known = knownOperations(product);
  return useMemo(
    () =>
      new OperationDetailsCache(
        operationId => api.getOperation(product.id, operationId),
        known,
      ),
    [api, product.id, known],
  );
}

export const OperationDetailsContext = createContext<
  OperationDetailsCache | undefined
>(undefined);

/**
 * One operation in full, fetched when first asked for (that is, when its row
 * is opened) and taken from the cache after that.
 */
export function useOperationDetails(operationId: string) {
  const cache = useContext(OperationDetailsContext);
  if (!cache) {
    throw new Error('useOperationDetails needs an OperationDetailsContext');
  }
  const [failure, setFailure] = useState<{
    operationId: string;
    error: Error;
  }>();
  const [, loaded] = useReducer((n: number) => n + 1, 0);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (cache.peek(operationId)) return undefined;
    let live = true;
    setFailure(undefined);
    cache.load(operationId).then(
      () => live && loaded(),
      error =>
        live &&
        setFailure({
          operationId,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    return () => {
      live = false;
    };
  }, [cache, operationId, attempt]);

  const value = cache.peek(operationId);
  const error =
    !value && failure?.operationId === operationId ? failure.error : undefined;
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  return { value, error, loading: !value && !error, retry };
}
