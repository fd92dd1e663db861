/*
 * Runs the ApiMarketplaceProcessor, as the catalog would, on the API
 * entities of a catalog file (following `Location` targets), and prints per
 * entity whether its spec ingests and what the lint found. Read-only.
 *
 *   cd plugins/catalog-backend-module-api-marketplace
 *   node -r @backstage/cli/config/nodeTransform.cjs scripts/check-catalog.ts ../../examples/all.yaml
 *
 * Files may be read below the directory of the given file, as for a file
 * location in `catalog.locations`. Exits with 1 if any entity has errors.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  CatalogProcessorCache,
  CatalogProcessorResult,
} from '@backstage/plugin-catalog-node';
import { parseAllDocuments } from 'yaml';
import { SpecIngester } from '../src/ingest/SpecIngester';
import { SpecLinter } from '../src/lint/SpecLinter';
import { RecordedLint } from '../src/lint/summarizeLint';
import { ApiMarketplaceProcessor } from '../src/processor/ApiMarketplaceProcessor';
import { DEFAULT_MAX_SPEC_BYTES } from '../src/readModuleOptions';
import { FileSpecReader } from '../src/reading/FileSpecReader';
import { SpecReader } from '../src/reading/SpecReader';
import { UrlSpecReader } from '../src/reading/UrlSpecReader';

const logger: LoggerService = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: message => console.error(message),
  child: () => logger,
};

const noCache: CatalogProcessorCache = {
  get: async () => undefined,
  set: async () => {},
};

/** The entities of a catalog file and of the files its Locations target. */
async function* entitiesOf(
  file: string,
): AsyncGenerator<{ entity?: Entity; file: string }> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    yield { file };
    return;
  }
  for (const document of parseAllDocuments(text)) {
    const entity = document.toJS() as Entity | null;
    if (!entity) {
      continue;
    }
    if (entity.kind === 'Location') {
      const spec = entity.spec as { target?: string; targets?: string[] };
      for (const target of [
        ...(spec.target ? [spec.target] : []),
        ...(spec.targets ?? []),
      ]) {
        yield* entitiesOf(path.resolve(path.dirname(file), target));
      }
    } else {
      yield { entity, file };
    }
  }
}

async function main() {
  const catalogFile = path.resolve(
    process.argv[2] ?? '../../examples/all.yaml',
  );
  const maxBytes = DEFAULT_MAX_SPEC_BYTES;
  const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
  const reader = new SpecReader({
    files: new FileSpecReader({
      roots: [path.dirname(catalogFile)],
      maxBytes,
    }),
    urls: new UrlSpecReader({
      reader: {
        readUrl: async url => {
          throw new Error(`this script reads no URLs (${url})`);
        },
        readTree: async () => {
          throw new Error('not supported');
        },
        search: async () => {
          throw new Error('not supported');
        },
      },
      maxBytes,
    }),
    integrations,
  });
  const linter = new SpecLinter({
    logger,
    waitMs: 5 * 60_000,
    timeoutMs: 5 * 60_000,
    concurrency: 2,
  });
  const processor = new ApiMarketplaceProcessor({
    reader,
    ingester: new SpecIngester({ reader, maxBytes }),
    linter,
    logger,
  });

  let failed = 0;
  let checked = 0;
  for await (const { entity, file } of entitiesOf(catalogFile)) {
    if (!entity) {
      failed += 1;
      console.log(`✘ ${path.relative(process.cwd(), file)} does not exist`);
      continue;
    }
    if (entity.kind !== 'API') {
      continue;
    }
    checked += 1;
    const location = { type: 'file', target: file };
    const emitted: CatalogProcessorResult[] = [];
    const started = Date.now();
    let result: Entity;
    try {
      result = await processor.preProcessEntity(
        entity,
        location,
        item => emitted.push(item),
        location,
        noCache,
      );
    } catch (error) {
      failed += 1;
      console.log(`✘ ${entity.metadata.name}: threw ${error}`);
      continue;
    }
    const ms = Date.now() - started;
    const errors = emitted.flatMap(e => (e.type === 'error' ? [e.error] : []));
    const lintText = result.metadata.annotations?.['portico.dev/spec-lint'];
    if (errors.length) {
      failed += 1;
      console.log(
        `✘ ${entity.metadata.name} (${path.relative(process.cwd(), file)})`,
      );
      errors.forEach(error =>
        console.log(`    ${error.name}: ${error.message}`),
      );
    } else if (lintText) {
      const lint = JSON.parse(lintText) as RecordedLint;
      const bytes = Buffer.byteLength(String(result.spec?.definition));
      console.log(
        `✔ ${entity.metadata.name}: ${(bytes / 1024).toFixed(
          0,
        )} kB bundled in ${ms} ms; lint ${lint.errors} errors, ${
          lint.warnings
        } warnings, ${lint.infos} infos${
          lint.skipped ? ` (skipped: ${lint.skipped})` : ''
        }`,
      );
      lint.findings
        .filter(finding => finding.severity === 'error')
        .forEach(finding =>
          console.log(
            `    lint error ${finding.code} at ${finding.path}: ${finding.message}`,
          ),
        );
    } else {
      console.log(
        `- ${entity.metadata.name}: not a marketplace OpenAPI entity`,
      );
    }
  }
  await linter.close();
  console.log(`${checked} API entities, ${failed} with errors or missing`);
  process.exitCode = failed ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
