import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { toError } from '@backstage/errors';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { IngestedSpec, SpecIngester } from '../ingest/SpecIngester';
import { ApiProductConfig, readProviderConfig } from './readProviderConfig';

const PROVIDER_NAME = 'ApiMarketplaceEntityProvider';

export type ApiMarketplaceEntityProviderOptions = {
  products: ApiProductConfig[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  scheduler: SchedulerService;
  ingester: SpecIngester;
  logger: LoggerService;
};

/**
 * Publishes the API products listed in `catalog.providers.apiMarketplace`
 * as `API` entities, with their OpenAPI spec fetched and bundled.
 *
 * Specs are re-fetched with conditional requests (`If-None-Match`,
 * `If-Modified-Since`) on every run; when nothing changed, no mutation is
 * applied. A spec that cannot be fetched or ingested keeps its product's last
 * good entity and is logged; the other products are not affected.
 */
export class ApiMarketplaceEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** The last good entity of each product, by product name. */
  private readonly entities = new Map<
    string,
    { hash: string; entity: Entity }
  >();
  /** What the last applied mutation contained. */
  private appliedFingerprint?: string;

  /** The provider, if `catalog.providers.apiMarketplace` is configured. */
  static fromConfig(
    config: Config,
    options: Pick<
      ApiMarketplaceEntityProviderOptions,
      'scheduler' | 'ingester' | 'logger'
    >,
  ): ApiMarketplaceEntityProvider | undefined {
    const providerConfig = readProviderConfig(config);
    return providerConfig
      ? new ApiMarketplaceEntityProvider({ ...options, ...providerConfig })
      : undefined;
  }

  constructor(private readonly options: ApiMarketplaceEntityProviderOptions) {}

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
          logger.error(`${PROVIDER_NAME} refresh failed`, toError(error));
        }
      },
    });
  }

  /** Fetches every product's spec and applies a mutation if any changed. */
  async refresh(signal?: AbortSignal): Promise<void> {
    const { connection } = this;
    if (!connection) {
      throw new Error(`${PROVIDER_NAME} is not connected`);
    }
    const { products, ingester, logger } = this.options;

    for (const product of products) {
      if (signal?.aborted) {
        logger.warn(`${PROVIDER_NAME} refresh aborted`);
        return;
      }
      try {
        const spec = await ingester.ingestLocation({
          type: 'url',
          target: product.openApiSpec,
        });
        if (this.entities.get(product.name)?.hash !== spec.hash) {
          this.entities.set(product.name, {
            hash: spec.hash,
            entity: toEntity(product, spec),
          });
        }
      } catch (error) {
        const kept = this.entities.has(product.name)
          ? 'keeping its last good entity'
          : 'the catalog keeps what it has';
        logger.warn(
          `${PROVIDER_NAME}: could not ingest the spec of ${
            product.name
          } from ${product.openApiSpec}, ${kept}: ${toError(error).message}`,
        );
      }
    }

    const fingerprint = products
      .map(({ name }) => `${name}@${this.entities.get(name)?.hash ?? '-'}`)
      .join(',');
    if (fingerprint === this.appliedFingerprint) {
      logger.debug(`${PROVIDER_NAME}: no spec changed`);
      return;
    }
    const entities = products.flatMap(({ name }) => {
      const current = this.entities.get(name);
      return current ? [deferred(current.entity)] : [];
    });
    if (entities.length === products.length) {
      await connection.applyMutation({ type: 'full', entities });
    } else {
      // A product without any good entity since the start: a full mutation
      // would delete the one the catalog still has. Update the others only.
      await connection.applyMutation({
        type: 'delta',
        added: entities,
        removed: [],
      });
    }
    this.appliedFingerprint = fingerprint;
    logger.info(
      `${PROVIDER_NAME}: published ${entities.length} of ${products.length} API products`,
    );
  }
}

function toEntity(product: ApiProductConfig, spec: IngestedSpec): Entity {
  const location = `url:${product.openApiSpec}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: product.name,
      ...(product.title && { title: product.title }),
      ...(product.description && { description: product.description }),
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      },
    },
    spec: {
      type: 'openapi',
      lifecycle: product.lifecycle,
      owner: product.owner,
      ...(product.system && { system: product.system }),
      definition: spec.definition,
      marketplace: product.marketplace,
    },
  };
}

function deferred(entity: Entity): DeferredEntity {
  return { entity, locationKey: PROVIDER_NAME };
}
