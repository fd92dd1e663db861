import { ConfigReader } from '@backstage/config';
import { readModuleOptions } from './readModuleOptions';

describe('readModuleOptions', () => {
  it('has documented defaults', () => {
    expect(readModuleOptions(new ConfigReader({}))).toEqual({
      maxSpecBytes: 25 * 1024 * 1024,
      lint: { waitMs: 10_000, timeoutMs: 120_000, concurrency: 2 },
    });
  });

  it('reads durations as objects or strings', () => {
    const config = new ConfigReader({
      catalog: {
        processors: {
          apiMarketplace: {
            maxSpecBytes: 1000,
            lint: {
              waitTimeout: { seconds: 3 },
              timeout: '5m',
              concurrency: 1,
            },
          },
        },
      },
    });
    expect(readModuleOptions(config)).toEqual({
      maxSpecBytes: 1000,
      lint: { waitMs: 3000, timeoutMs: 300_000, concurrency: 1 },
    });
  });

  it('refuses limits that would stop all ingestion', () => {
    const config = new ConfigReader({
      catalog: { processors: { apiMarketplace: { lint: { concurrency: 0 } } } },
    });
    expect(() => readModuleOptions(config)).toThrow(
      'catalog.processors.apiMarketplace.lint.concurrency must be greater than zero',
    );
  });
});
