import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { apiEntity, marketplaceBlock } from '../__fixtures__/entities';
import { applyDatabaseMigrations } from '../database/migrations';
import { SpecHistoryStore } from '../database/SpecHistoryStore';
import { findOperation, operationIndexOf } from './operationIndex';
import { ProductService } from './ProductService';
import { SpecHistoryRecorder } from './SpecHistoryRecorder';

// Parsing a ~10 MB spec on a loaded 2-core machine takes a while.
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Products as the routes serve them: through ProductService. */
async function productsOf(entities: ReturnType<typeof apiEntity>[]) {
  const knex = await databases.init('SQLITE_3');
  await applyDatabaseMigrations(knex);
  const logger = mockServices.logger.mock();
  return ProductService.create({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger,
    history: new SpecHistoryRecorder(new SpecHistoryStore(knex), logger),
    maxAgeMs: 0,
  });
}

/**
 * `generateSpec` of the large-spec benchmark, taken from the script itself
 * (which runs the benchmark when imported) so both measure the same spec.
 */
function benchmarkSpecGenerator(): (operations: number) => object {
  const script = readFileSync(
    resolve(__dirname, '../../../../scripts/bench/large-spec.mjs'),
    'utf8',
  );
  const start = script.indexOf('function generateSpec(');
  const end = script.indexOf('\n// ---', start);
  if (start < 0 || end < 0) {
    throw new Error('generateSpec not found in scripts/bench/large-spec.mjs');
  }
  // eslint-disable-next-line no-new-func
  return new Function(`${script.slice(start, end)}\nreturn generateSpec;`)();
}

/** Bytes of a response body: compact, and as `yarn start` serves it (`json spaces: 2`). */
const sizes = (value: unknown) => {
  const pretty = JSON.stringify(value, null, 2);
  return {
    compact: Buffer.byteLength(JSON.stringify(value)),
    pretty: Buffer.byteLength(pretty),
    gzip: gzipSync(pretty).length,
  };
};
const human = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`;
const row = (name: string, s: ReturnType<typeof sizes>) =>
  `${name.padEnd(48)} ${human(s.compact).padStart(9)} ${human(
    s.pretty,
  ).padStart(9)} ${human(s.gzip).padStart(9)}`;

describe('operation index', () => {
  it('keeps order and ids of the product operations and drops their details', async () => {
    const products = await productsOf([
      apiEntity('tracking', marketplaceBlock),
    ]);
    const product = (await products.get('tracking'))!;

    const index = operationIndexOf(product);
    expect(index).toEqual(
      product.operations.map(op => ({
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        summary: op.summary,
        tags: op.tags,
        deprecated: op.deprecated,
      })),
    );
    // Built once per parsed product.
    expect(operationIndexOf(product)).toBe(index);

    expect(findOperation(product, 'postShipments')).toBe(product.operations[1]);
    expect(findOperation(product, 'nope')).toBeUndefined();
  });

  it('is a small fraction of the product for the large-spec benchmark', async () => {
    const operations = Number(process.env.BENCH_OPERATIONS ?? 1000);
    const specText = JSON.stringify(benchmarkSpecGenerator()(operations));
    const products = await productsOf([
      apiEntity('bigspec', { ...marketplaceBlock, id: 'bigspec' }, specText),
    ]);
    const product = (await products.get('bigspec'))!;
    expect(product.operations).toHaveLength(operations);

    const detail = sizes(product);
    const index = sizes({ items: operationIndexOf(product) });
    const perOperation = product.operations
      .map(sizes)
      .sort((a, b) => a.pretty - b.pretty);
    const median = perOperation[perOperation.length >> 1];
    const largest = perOperation[perOperation.length - 1];
    // eslint-disable-next-line no-console
    console.log(
      [
        `spec ${human(Buffer.byteLength(specText))}, ${operations} operations`,
        `${''.padEnd(48)} ${'compact'.padStart(9)} ${'dev'.padStart(
          9,
        )} ${'dev+gzip'.padStart(9)}`,
        row('GET /v1/products/{id}', detail),
        row('GET /v1/products/{id}/operations', index),
        row('GET …/operations/{operationId} (median)', median),
        row('GET …/operations/{operationId} (largest)', largest),
      ].join('\n'),
    );

    expect(index.pretty).toBeLessThan(detail.pretty / 20);
    expect(largest.pretty).toBeLessThan(detail.pretty / 100);
  });
});
