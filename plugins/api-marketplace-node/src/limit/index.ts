export * from './types';
export { RedisRateLimiter } from './RedisRateLimiter';
export { InMemoryRateLimiter } from './InMemoryRateLimiter';
export type { InMemoryRateLimiterOptions } from './InMemoryRateLimiter';
export { FailoverRateLimiter } from './FailoverRateLimiter';
export { readRateLimitLeaseMs } from './leaseConfig';
export type { FailoverRateLimiterOptions } from './FailoverRateLimiter';
export { gcraParams } from './gcra';
export type { GcraParams } from './gcra';
