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
    listOperations: jest.fn(async () => []),
    getOperation: jest.fn(async () => {
      throw new Error('getOperation not mocked');
    }),
    listChanges: jest.fn(async () => []),
    getSnippets: jest.fn(async (_id: string, operationId: string) => ({
      operationId,
      snippets: [],
    })),
    downloadArtifact: jest.fn(async () => {
      throw new Error('downloadArtifact not mocked');
    }),
    getMe: jest.fn(async () => ({
      userRef: 'user:default/jane',
      isAdmin: false,
      invitations: [],
    })),
    createPartner: jest.fn(async () => {
      throw new Error('createPartner not mocked');
    }),
    acceptTerms: jest.fn(async () => {
      throw new Error('acceptTerms not mocked');
    }),
    listMembers: jest.fn(async () => []),
    removeMember: jest.fn(async () => {}),
    listInvitations: jest.fn(async () => []),
    createInvitation: jest.fn(async () => {
      throw new Error('createInvitation not mocked');
    }),
    revokeInvitation: jest.fn(async () => {}),
    acceptInvitation: jest.fn(async () => {}),
    listSubscriptions: jest.fn(async () => []),
    subscribe: jest.fn(async () => {
      throw new Error('subscribe not mocked');
    }),
    changePlan: jest.fn(async () => {
      throw new Error('changePlan not mocked');
    }),
    cancelSubscription: jest.fn(async () => {}),
    listKeys: jest.fn(async () => []),
    createKey: jest.fn(async () => {
      throw new Error('createKey not mocked');
    }),
    rotateKey: jest.fn(async () => {
      throw new Error('rotateKey not mocked');
    }),
    revokeKey: jest.fn(async () => {}),
    listAuditEvents: jest.fn(async () => []),
    getUsage: jest.fn(async () => {
      throw new Error('getUsage not mocked');
    }),
    trySandbox: jest.fn(async () => {
      throw new Error('trySandbox not mocked');
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
