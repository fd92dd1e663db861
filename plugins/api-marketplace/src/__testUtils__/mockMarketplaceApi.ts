import { MarketplaceApi } from '../api';

/** A {@link MarketplaceApi} whose methods are all jest mocks. */
export function mockMarketplaceApi(
  overrides: Partial<MarketplaceApi> = {},
): jest.Mocked<MarketplaceApi> {
  return {
    listProducts: jest.fn(async () => []),
    getProduct: jest.fn(async () => {
      throw new Error('getProduct not mocked');
    }),
    listChanges: jest.fn(async () => []),
    getSnippets: jest.fn(async (_id: string, operationId: string) => ({
      operationId,
      snippets: [],
    })),
    downloadArtifact: jest.fn(async () => {
      throw new Error('downloadArtifact not mocked');
    }),
    ...overrides,
  } as jest.Mocked<MarketplaceApi>;
}

/** A promise with its resolve function, to hold a request in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
