import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  DEFAULT_KEY_PREFIX,
  FailoverRateLimiter,
  InMemoryRateLimiter,
  InMemoryUsageStore,
  InProcessRevocationBus,
  KeyVerifier,
  RateLimiter,
  RedisRateLimiter,
  RedisRevocationBus,
  RedisUsageStore,
  RevocationBus,
  UsageBucketReader,
  UsageMeter,
  createGatewayRedis,
  readRateLimitLeaseMs,
  waitForRedis,
} from '@portico/plugin-api-marketplace-node';
import { Knex } from 'knex';
import type { Redis } from 'ioredis';
import {
  InMemoryLiveUsage,
  LiveUsageSource,
  RedisLiveUsage,
} from '../usage/LiveUsage';
import { DatabaseKeyLookup, GatewayProductSource } from './DatabaseKeyLookup';

/** How long startup waits for the eviction channel before going on. */
const BUS_READY_TIMEOUT_MS = 5_000;

/**
 * The data plane inside the backend: key verification with its cache and
 * eviction bus, the rate limiter, the meter and the usage store it writes.
 * With `apiMarketplace.redis.connection` everything is shared with the other
 * replicas and the standalone gateway through Redis; without it, limits and
 * counters live in this process ("single-instance metering").
 */
export class DataPlane {
  private constructor(
    /** Uncached key records, for session-authorised calls (try-it by key id). */
    readonly lookup: DatabaseKeyLookup,
    readonly verifier: KeyVerifier,
    readonly limiter: RateLimiter,
    readonly meter: UsageMeter,
    readonly bus: RevocationBus,
    /** What the rollup reads. */
    readonly usage: UsageBucketReader,
    readonly live: LiveUsageSource,
    /** HMAC key of the `X-Portico-Signature` header sent upstream. */
    readonly signingSecret: string,
    /** True when counters are shared through Redis. */
    readonly shared: boolean,
    private readonly closers: Array<() => Promise<unknown>>,
  ) {}

  static async create(options: {
    config: Config;
    logger: LoggerService;
    database: Knex;
    products: GatewayProductSource;
  }): Promise<DataPlane> {
    const { config, logger } = options;
    const signingSecret = readSigningSecret(config, logger);
    const lookup = new DatabaseKeyLookup(options.database, options.products);
    const url = config.getOptionalString('apiMarketplace.redis.connection');
    const prefix =
      config.getOptionalString('apiMarketplace.redis.prefix') ??
      DEFAULT_KEY_PREFIX;
    const leaseMs = readRateLimitLeaseMs(config);

    if (!url) {
      logger.info(
        'No apiMarketplace.redis.connection: single-instance metering (rate limits, quotas and usage counters live in this process; run one backend instance)',
      );
      const store = new InMemoryUsageStore();
      const bus = new InProcessRevocationBus();
      const verifier = new KeyVerifier({ lookup, bus });
      const meter = new UsageMeter({ sink: store, logger });
      return new DataPlane(
        lookup,
        verifier,
        new InMemoryRateLimiter({ usage: store }),
        meter,
        bus,
        store,
        new InMemoryLiveUsage(store),
        signingSecret,
        false,
        [async () => verifier.close(), () => meter.close()],
      );
    }

    const redis: Redis = createGatewayRedis(url);
    redis.on('error', () => {
      // ioredis reconnects by itself; the limiter, meter and bus log what it means.
    });
    await waitForRedis(redis, BUS_READY_TIMEOUT_MS).catch(error =>
      logger.warn(
        `Redis is not reachable yet (${error}); limits fall back to this instance and usage is buffered until it is`,
      ),
    );
    const bus = RedisRevocationBus.create({ url, prefix });
    const verifier = new KeyVerifier({ lookup, bus });
    await Promise.race([
      bus.ready(),
      new Promise(resolve => setTimeout(resolve, BUS_READY_TIMEOUT_MS).unref()),
    ]);
    const store = new RedisUsageStore(redis, { prefix });
    const meter = new UsageMeter({ sink: store, logger });
    const limiter = new FailoverRateLimiter(
      new RedisRateLimiter(redis, { prefix, lease: { ms: leaseMs } }),
      new InMemoryRateLimiter(),
      { logger },
    );
    logger.info(
      'Metering through Redis: limits, quotas and usage are shared by every replica',
    );
    return new DataPlane(
      lookup,
      verifier,
      limiter,
      meter,
      bus,
      store,
      new RedisLiveUsage(redis, prefix),
      signingSecret,
      true,
      [
        async () => verifier.close(),
        () => meter.close(),
        () => bus.close(),
        () => redis.quit(),
      ],
    );
  }

  /** Flushes the meter and closes connections; for the shutdown hook. */
  async close(): Promise<void> {
    for (const close of this.closers) {
      await close().catch(() => undefined);
    }
  }
}

function readSigningSecret(config: Config, logger: LoggerService): string {
  const configured = config.getOptionalString(
    'apiMarketplace.gateway.signingSecret',
  );
  if (configured) return configured;
  logger.warn(
    'No apiMarketplace.gateway.signingSecret: generated an ephemeral one; upstreams cannot verify X-Portico-Signature across restarts or replicas',
  );
  return randomBytes(32).toString('hex');
}
