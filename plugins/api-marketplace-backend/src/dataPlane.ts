import type {
  DiscoveryService,
  LifecycleService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { KeyStore } from './database/KeyStore';
import { SubscriptionStore } from './database/SubscriptionStore';
import { UsageRollupStore } from './database/UsageRollupStore';
import { GatewayService } from './gateway/GatewayService';
import { ProductService } from './products/ProductService';
import { MockSandbox, SandboxCaller } from './sandbox';
import { SandboxTryService } from './sandbox/SandboxTryService';
import { scheduleUsageRollup } from './usage/scheduleUsageRollup';
import { UsageService } from './usage/UsageService';

/**
 * The data plane in the backend: the mounted gateway and verify mode, the
 * usage rollup task, usage reports and try-it, all over one verifier,
 * limiter and meter.
 */
export async function createDataPlane(options: {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  discovery: DiscoveryService;
  database: Knex;
  products: ProductService;
  keys: KeyStore;
  subscriptions: SubscriptionStore;
}) {
  const { config, logger, products, keys } = options;
  const gateway = await GatewayService.create({
    config,
    logger,
    database: options.database,
    products,
    sandbox: new MockSandbox({ products, logger }),
    keys,
  });
  options.lifecycle.addShutdownHook(() => gateway.close());
  const rollups = new UsageRollupStore(options.database);
  const { closeDelayMs } = await scheduleUsageRollup({
    config,
    logger,
    scheduler: options.scheduler,
    gateway,
    store: rollups,
  });
  const usageService = new UsageService(
    rollups,
    gateway.dataPlane.live,
    options.subscriptions,
    products,
    logger,
    // The usage store is read back past the rollup's lag.
    { liveWindowMs: closeDelayMs + 10 * 60_000 },
  );
  const sandboxTry = new SandboxTryService({
    gateway,
    products,
    keys,
    caller: new SandboxCaller({
      allowPrivate: config.getOptionalStringArray(
        'apiMarketplace.sandbox.allowPrivate',
      ),
    }),
    // Only ever pointed at the built-in mock's loopback URL by the service.
    mockCaller: new SandboxCaller({ allowPrivate: ['127.0.0.1'] }),
    publicBaseUrl: () =>
      options.discovery.getExternalBaseUrl('api-marketplace'),
    logger,
  });
  return { gateway, evictions: gateway.evictions, usageService, sandboxTry };
}
