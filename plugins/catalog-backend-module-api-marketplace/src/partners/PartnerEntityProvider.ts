import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ForwardedError, toError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import { HttpPartnerDirectory, PartnerDirectory } from './PartnerDirectory';
import { toPartnerEntities } from './partnerEntities';

const PROVIDER_NAME = 'ApiMarketplacePartnerEntityProvider';
const CONFIG_KEY = 'catalog.providers.apiMarketplacePartners';

export const DEFAULT_PARTNER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 30 },
    timeout: { minutes: 1 },
  };

export type PartnerEntityProviderOptions = {
  directory: PartnerDirectory;
  schedule: SchedulerServiceTaskScheduleDefinition;
  scheduler: SchedulerService;
  logger: LoggerService;
};

/**
 * Publishes the marketplace's partner organisations as `Group` entities
 * (`group:partners/<slug>`) and their members in the `partners` namespace as
 * `User` entities, read from the marketplace backend on a schedule.
 *
 * Every successful read replaces the provider's entities (a full mutation),
 * so removed partners and members leave the catalog. A failed read (backend
 * down, an error status, a malformed body) is logged and changes nothing:
 * the catalog keeps the last published entities until a later run succeeds.
 */
export class PartnerEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Hash of the last published entities, to log changes only at info. */
  private publishedHash?: string;

  /** The provider, if `catalog.providers.apiMarketplacePartners` is set. */
  static fromConfig(
    config: Config,
    options: {
      discovery: DiscoveryService;
      auth: AuthService;
      scheduler: SchedulerService;
      logger: LoggerService;
    },
  ): PartnerEntityProvider | undefined {
    const providerConfig = config.getOptionalConfig(CONFIG_KEY);
    if (!providerConfig) {
      return undefined;
    }
    const schedule = providerConfig.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          providerConfig.getConfig('schedule'),
        )
      : DEFAULT_PARTNER_SCHEDULE;
    return new PartnerEntityProvider({
      directory: new HttpPartnerDirectory(options),
      schedule,
      scheduler: options.scheduler,
      logger: options.logger,
    });
  }

  constructor(private readonly options: PartnerEntityProviderOptions) {}

  getProviderName(): string {
    return PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { scheduler, schedule, logger } = this.options;
    await scheduler.scheduleTask({
      id: `${PROVIDER_NAME}:refresh`,
      ...schedule,
      scope: schedule.scope ?? 'global',
      fn: async signal => {
        try {
          await this.refresh(signal);
        } catch (error) {
          logger.warn(
            `${PROVIDER_NAME}: the partner directory could not be read, the catalog keeps the partners it has; retrying on the next run`,
            toError(error),
          );
        }
      },
    });
  }

  /**
   * Reads the directory and applies it as a full mutation. Throws, without
   * touching the catalog, when the directory cannot be read.
   */
  async refresh(signal?: AbortSignal): Promise<void> {
    const { connection } = this;
    if (!connection) {
      throw new Error(`${PROVIDER_NAME} is not connected`);
    }
    const { directory, logger } = this.options;
    let partners;
    try {
      partners = await directory.list({ signal });
    } catch (error) {
      throw new ForwardedError('Reading the partner directory failed', error);
    }
    const { entities, problems } = toPartnerEntities(partners);

    // Applied on every run, changed or not: the catalog only writes what
    // differs, and an entity deleted through the catalog API comes back.
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: PROVIDER_NAME,
      })),
    });

    // Changes are logged at info (problems as warnings), repeats at debug.
    const hash = createHash('sha256')
      .update(JSON.stringify(entities))
      .digest('hex');
    const changed = hash !== this.publishedHash;
    this.publishedHash = hash;
    for (const problem of problems) {
      if (changed) logger.warn(`${PROVIDER_NAME}: ${problem}`);
      else logger.debug(`${PROVIDER_NAME}: ${problem}`);
    }
    const summary = `${PROVIDER_NAME}: published ${partners.length} partner(s) as ${entities.length} entities`;
    if (changed) logger.info(summary);
    else logger.debug(summary);
  }
}
