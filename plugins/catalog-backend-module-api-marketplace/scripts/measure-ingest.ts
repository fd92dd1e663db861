/*
 * Measures spec ingestion on a generated large spec: ~1,000 operations,
 * ~10 MB, with internal and relative-file $refs, in YAML and in JSON.
 *
 *   cd plugins/catalog-backend-module-api-marketplace
 *   node -r @backstage/cli/config/nodeTransform.cjs scripts/measure-ingest.ts [operations]
 *
 * Prints the time of a cold ingest (read, parse, bundle, serialise, hash),
 * of a warm one (cache hit: re-read and hash), and of the Spectral lint in
 * its worker, each with the longest event loop stall seen meanwhile.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { stringify as stringifyYaml } from 'yaml';
import { SpecIngester } from '../src/ingest/SpecIngester';
import { SpecLinter } from '../src/lint/SpecLinter';
import { DEFAULT_MAX_SPEC_BYTES } from '../src/readModuleOptions';
import { FileSpecReader } from '../src/reading/FileSpecReader';
import { SpecReader } from '../src/reading/SpecReader';
import { UrlSpecReader } from '../src/reading/UrlSpecReader';

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ';

function generate(operations: number) {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < operations; i++) {
    const properties: Record<string, unknown> = {};
    for (let p = 0; p < 30; p++) {
      properties[`field${p}`] = {
        type: p % 3 ? 'string' : 'integer',
        description: LOREM,
        example: p % 3 ? `value-${i}-${p}` : p,
      };
    }
    properties.address = {
      $ref: './common.yaml#/components/schemas/Address',
    };
    schemas[`Resource${i}`] = {
      type: 'object',
      description: LOREM,
      required: ['field0'],
      properties,
    };
    paths[`/resources${i}/{id}`] = {
      get: {
        operationId: `getResource${i}`,
        summary: `Get resource ${i}`,
        description: LOREM.repeat(4),
        tags: [`group${i % 20}`],
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            description: 'Identifier',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: { $ref: `#/components/schemas/Resource${i}` },
              },
            },
          },
          '404': { $ref: './common.yaml#/components/responses/NotFound' },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Large',
      version: '1.0.0',
      description: 'A generated large spec',
      contact: { name: 'Platform', email: 'platform@example.com' },
    },
    servers: [{ url: 'https://api.example.com' }],
    tags: Array.from({ length: 20 }, (_, i) => ({
      name: `group${i}`,
      description: 'A group',
    })),
    paths,
    components: { schemas },
  };
}

const common = {
  components: {
    schemas: {
      Address: {
        type: 'object',
        properties: { street: { type: 'string' }, city: { type: 'string' } },
      },
      Error: { type: 'object', properties: { message: { type: 'string' } } },
    },
    responses: {
      NotFound: {
        description: 'Not found',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
          },
        },
      },
    },
  },
};

const logger: LoggerService = {
  debug: () => {},
  info: () => {},
  warn: message => console.warn(message),
  error: message => console.error(message),
  child: () => logger,
};

/** Runs `fn`, returning its time and the longest event loop stall. */
async function measure<T>(fn: () => Promise<T>) {
  let stall = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 10);
    last = now;
  }, 10);
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  clearInterval(timer);
  // A stall that lasted until the end was not seen by the interval.
  stall = Math.max(stall, performance.now() - last - 10);
  return { result, ms: Math.round(ms), stall: Math.round(Math.max(0, stall)) };
}

async function main() {
  const operations = Number(process.argv[2] ?? 1000);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'measure-ingest-'));
  const document = generate(operations);
  await fs.writeFile(path.join(dir, 'common.yaml'), stringifyYaml(common));
  await fs.writeFile(path.join(dir, 'openapi.yaml'), stringifyYaml(document));
  await fs.writeFile(
    path.join(dir, 'openapi.json'),
    JSON.stringify(document, null, 2),
  );

  const maxBytes = DEFAULT_MAX_SPEC_BYTES;
  const reader = new SpecReader({
    files: new FileSpecReader({ roots: [dir], maxBytes }),
    urls: new UrlSpecReader({
      reader: {
        readUrl: async () => {
          throw new Error('no URLs here');
        },
        readTree: async () => {
          throw new Error('no URLs here');
        },
        search: async () => {
          throw new Error('no URLs here');
        },
      },
      maxBytes,
    }),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const linter = new SpecLinter({
    logger,
    waitMs: 10 * 60_000,
    timeoutMs: 10 * 60_000,
    concurrency: 1,
  });

  console.log(`${operations} operations, Node ${process.version}`);
  for (const name of ['openapi.yaml', 'openapi.json']) {
    const target = path.join(dir, name);
    const size = (await fs.stat(target)).size;
    const ingester = new SpecIngester({ reader, maxBytes });
    const cold = await measure(() =>
      ingester.ingestLocation({ type: 'file', target }),
    );
    const warm = await measure(() =>
      ingester.ingestLocation({ type: 'file', target }),
    );
    const lint = await measure(() => linter.lint(cold.result));
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      [
        `${name}: ${mb(size)} MB in, ${mb(
          cold.result.definition.length,
        )} MB bundled`,
        `  ingest, cold: ${cold.ms} ms (longest event loop stall ${cold.stall} ms)`,
        `  ingest, cached: ${warm.ms} ms (stall ${warm.stall} ms)`,
        `  lint in worker: ${lint.ms} ms (stall ${lint.stall} ms), ${
          lint.result.errors
        } errors, ${lint.result.warnings} warnings${
          lint.result.skipped ? `, skipped: ${lint.result.skipped}` : ''
        }`,
      ].join('\n'),
    );
  }
  await linter.close();
  await fs.rm(dir, { recursive: true, force: true });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
