import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { UsageRollupStore } from '../database/UsageRollupStore';
import type { GatewayService } from '../gateway/GatewayService';
import { DEFAULT_CLOSE_DELAY_MS, UsageRollupJob } from './UsageRollupJob';

/**
 * Schedules `api-marketplace-usage-rollup`. With Redis it is a global task:
 * one backend at a time rolls up the shared buckets. Without Redis each
 * instance's counters live in its own memory, so every instance rolls up its
 * own (the embedded default runs one instance anyway).
 */
export async function scheduleUsageRollup(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  gateway: GatewayService;
  store: UsageRollupStore;
}): Promise<{ job: UsageRollupJob; closeDelayMs: number }> {
  const { config, gateway } = options;
  const closeDelaySeconds = config.getOptionalNumber(
    'apiMarketplace.usage.closeDelaySeconds',
  );
  const closeDelayMs =
    closeDelaySeconds === undefined
      ? DEFAULT_CLOSE_DELAY_MS
      : closeDelaySeconds * 1000;
  const job = new UsageRollupJob({
    reader: gateway.dataPlane.usage,
    store: options.store,
    logger: options.logger,
    closeDelayMs,
  });
  await options.scheduler.scheduleTask({
    id: 'api-marketplace-usage-rollup',
    scope: gateway.dataPlane.shared ? 'global' : 'local',
    frequency: {
      seconds:
        config.getOptionalNumber('apiMarketplace.usage.rollupSeconds') ?? 30,
    },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 15 },
    fn: async () => {
      await job.run();
    },
  });
  return { job, closeDelayMs };
}
