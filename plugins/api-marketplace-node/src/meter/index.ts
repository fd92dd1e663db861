export * from './types';
export { RedisMeterStore } from './RedisMeterStore';
export { InMemoryMeterStore } from './InMemoryMeterStore';
export * from './usageTypes';
export { UsageMeter } from './UsageMeter';
export type { UsageMeterOptions } from './UsageMeter';
export { RedisUsageStore } from './RedisUsageStore';
export { InMemoryUsageStore } from './InMemoryUsageStore';
export { usageBucketFromFields } from './usageBucket';
export { isBillableStatus, quotaAdjustment } from './billing';
export {
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  latencyBucketOf,
  latencyPercentile,
} from './latency';
