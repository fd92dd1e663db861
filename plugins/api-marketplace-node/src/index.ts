/**
 * Extension points, interfaces and the data-plane library of the Portico
 * API marketplace: key codec, verifier, rate limiter, meter and gateway.
 *
 * @packageDocumentation
 */

export * from './keys';
export * from './meter';
export * from './verify';
export * from './limit';
export * from './proxy';
export * from './problems';
export * from './redis';
export {
  DEFAULT_KEY_PREFIX,
  USAGE_BUCKET_TTL_SECONDS,
  METER_BATCH_TTL_SECONDS,
  monthOf,
  parseUsageKey,
  quotaKey,
  rateKey,
  usageKey,
  meterBatchKey,
  evictChannel,
} from './keyspace';
export type { QuotaMonth } from './keyspace';
