import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { SpecIngester } from '../ingest/SpecIngester';
import { DEFAULT_MAX_SPEC_BYTES } from '../readModuleOptions';
import { FileSpecReader } from '../reading/FileSpecReader';
import { SpecReader } from '../reading/SpecReader';
import { UrlSpecReader } from '../reading/UrlSpecReader';

export const FIXTURES = path.resolve(__dirname, '../__fixtures__');

/** A real `UrlReaderService` that may read from any port of 127.0.0.1. */
export function createUrlReader(): UrlReaderService {
  return UrlReaders.default({
    config: new ConfigReader({
      backend: { reading: { allow: [{ host: '127.0.0.1:1-65535' }] } },
    }),
    logger: mockServices.logger.mock(),
  });
}

/** The real reader and ingester, allowed to read files below `roots`. */
export function createSpecTools(
  options: { roots?: string[]; maxBytes?: number } = {},
) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SPEC_BYTES;
  const urlReader = createUrlReader();
  const reader = new SpecReader({
    files: new FileSpecReader({
      roots: options.roots ?? [FIXTURES],
      maxBytes,
    }),
    urls: new UrlSpecReader({ reader: urlReader, maxBytes }),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const ingester = new SpecIngester({ reader, maxBytes });
  return { urlReader, reader, ingester };
}

/** Every `$ref` value in a document. */
export function collectRefs(node: unknown, refs: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach(item => collectRefs(item, refs));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        refs.push(value);
      } else {
        collectRefs(value, refs);
      }
    }
  }
  return refs;
}
