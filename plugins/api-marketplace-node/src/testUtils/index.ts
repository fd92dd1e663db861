/**
 * Test utilities of the data plane, for this package's tests and those of
 * the packages that run it (`@portico/gateway`): real Redis, local servers,
 * key fixtures.
 *
 * @packageDocumentation
 */
export { testRedisUrl } from './testRedis';
export {
  deleteTestKeys,
  eventually,
  forgeKeyWithSameId,
  makeKey,
  testPrefix,
} from './fixtures';
export { TcpProxy } from './tcpProxy';
export type { SeenRequest } from './testServers';
export { echoUpstream, listen, rawRequest } from './testServers';
