/**
 * The control plane of the Portico API marketplace.
 *
 * @packageDocumentation
 */

export { apiMarketplacePlugin as default } from './plugin';

// For the standalone gateway (packages/gateway): the same key lookup and
// rollup the backend uses, over the shared database and Redis.
export { DatabaseKeyLookup } from './gateway/DatabaseKeyLookup';
export type {
  GatewayProduct,
  GatewayProductSource,
} from './gateway/DatabaseKeyLookup';
export { MockSandboxServer } from './gateway/MockSandboxServer';
export { LastUsedRecorder } from './gateway/LastUsedRecorder';
export { recordingLastUse } from './gateway/recordingLastUse';
export type { GatewayVerifier } from './gateway/recordingLastUse';
export { KeyStore } from './database/KeyStore';
export { MockSandbox } from './sandbox';
export type { MockProducts, MockSandboxOptions } from './sandbox';
export { UsageRollupStore } from './database/UsageRollupStore';
export type {
  ClassCounts,
  Granularity,
  MinuteBucket,
  StatusClass,
  UsageEnvironment,
} from './database/UsageRollupStore';
export { DEFAULT_CLOSE_DELAY_MS, UsageRollupJob } from './usage/UsageRollupJob';
export type {
  UsageRollupJobOptions,
  UsageRollupResult,
} from './usage/UsageRollupJob';
