/** Where the backend and the standalone gateway read the lease lifetime. */
export const RATE_LIMIT_LEASE_CONFIG_KEY =
  'apiMarketplace.redis.rateLimitLeaseMs';

/**
 * `apiMarketplace.redis.rateLimitLeaseMs`, for `RedisRateLimiter`'s
 * `lease.ms`: undefined when unset (the limiter's default), refused when
 * negative.
 */
export function readRateLimitLeaseMs(config: {
  getOptionalNumber(key: string): number | undefined;
}): number | undefined {
  const leaseMs = config.getOptionalNumber(RATE_LIMIT_LEASE_CONFIG_KEY);
  if (leaseMs !== undefined && !(leaseMs >= 0)) {
    throw new Error(`${RATE_LIMIT_LEASE_CONFIG_KEY} must be >= 0`);
  }
  return leaseMs;
}
