import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** Specs above this are refused before parsing: 25 MB. */
export const DEFAULT_MAX_SPEC_BYTES = 25 * 1024 * 1024;

/** Options of spec ingestion, from `catalog.processors.apiMarketplace`. */
export type ModuleOptions = {
  maxSpecBytes: number;
  lint: { waitMs: number; timeoutMs: number; concurrency: number };
};

/** Reads `catalog.processors.apiMarketplace`; see config.d.ts. */
export function readModuleOptions(root: Config): ModuleOptions {
  const config = root.getOptionalConfig('catalog.processors.apiMarketplace');
  const duration = (key: string, fallback: number) =>
    config?.has(key)
      ? durationToMilliseconds(readDurationFromConfig(config, { key }))
      : fallback;
  const positive = (key: string, value: number) => {
    if (!(value > 0)) {
      throw new InputError(
        `catalog.processors.apiMarketplace.${key} must be greater than zero`,
      );
    }
    return value;
  };
  return {
    maxSpecBytes: positive(
      'maxSpecBytes',
      config?.getOptionalNumber('maxSpecBytes') ?? DEFAULT_MAX_SPEC_BYTES,
    ),
    lint: {
      waitMs: duration('lint.waitTimeout', 10_000),
      timeoutMs: positive('lint.timeout', duration('lint.timeout', 120_000)),
      concurrency: positive(
        'lint.concurrency',
        config?.getOptionalNumber('lint.concurrency') ?? 2,
      ),
    },
  };
}
