import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { isHttpUrl } from '../reading/SpecLocation';

/** One product of `catalog.providers.apiMarketplace.products`. */
export type ApiProductConfig = {
  name: string;
  title?: string;
  description?: string;
  owner: string;
  system?: string;
  lifecycle: string;
  openApiSpec: string;
  marketplace: JsonObject;
};

export type ApiMarketplaceProviderConfig = {
  schedule: SchedulerServiceTaskScheduleDefinition;
  products: ApiProductConfig[];
};

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
};

/**
 * Reads `catalog.providers.apiMarketplace`, or nothing when it is absent.
 * Mistakes in the product list stop the backend at startup with the key
 * that is wrong; the marketplace block itself is validated per entity by
 * the processor, so that one bad block does not stop the others.
 */
export function readProviderConfig(
  root: Config,
): ApiMarketplaceProviderConfig | undefined {
  const config = root.getOptionalConfig('catalog.providers.apiMarketplace');
  if (!config) {
    return undefined;
  }
  const schedule = config.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;

  const names = new Set<string>();
  const products = config.getConfigArray('products').map((product, index) => {
    const key = `catalog.providers.apiMarketplace.products[${index}]`;
    const name = product.getString('name');
    if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
      throw new InputError(
        `${key}.name "${name}" is not a valid entity name (letters, digits, "-", "_" and ".", at most 63 characters)`,
      );
    }
    if (names.has(name)) {
      throw new InputError(`${key}.name "${name}" is used twice`);
    }
    names.add(name);
    const openApiSpec = product.getString('openApiSpec');
    if (!isHttpUrl(openApiSpec)) {
      throw new InputError(
        `${key}.openApiSpec must be an absolute http(s) URL, got "${openApiSpec}"`,
      );
    }
    return {
      name,
      title: product.getOptionalString('title'),
      description: product.getOptionalString('description'),
      owner: product.getString('owner'),
      system: product.getOptionalString('system'),
      lifecycle: product.getOptionalString('lifecycle') ?? 'production',
      openApiSpec,
      marketplace: product.getConfig('marketplace').get<JsonObject>(),
    };
  });
  return { schedule, products };
}
