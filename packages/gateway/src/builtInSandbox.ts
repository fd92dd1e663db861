import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ProductDetail } from '@portico/plugin-api-marketplace-common';
import {
  MockProducts,
  MockSandbox,
  MockSandboxServer,
} from '@portico/plugin-api-marketplace-backend';
import type { Knex } from 'knex';
import type { RemoteProductDirectory } from './ProductDirectory';

type Loaded = { detail: ProductDetail; specText: string };

/**
 * What the built-in mock reads, for the published spec hash of a product:
 * the product from the backend's REST API and its spec text from
 * `spec_versions`, where the backend records every spec it publishes. Both
 * are kept until the spec hash changes; a miss is asked again next call.
 */
export class DirectoryMockProducts implements MockProducts {
  private readonly loaded = new Map<
    string,
    { specHash: string; value: Promise<Loaded | undefined> }
  >();

  constructor(
    private readonly directory: RemoteProductDirectory,
    private readonly db: Knex,
  ) {}

  async get(id: string): Promise<ProductDetail | undefined> {
    return (await this.load(id))?.detail;
  }

  async getSpecText(id: string): Promise<string | undefined> {
    return (await this.load(id))?.specText;
  }

  private async load(id: string): Promise<Loaded | undefined> {
    const specHash = (await this.directory.get(id))?.specHash;
    if (!specHash) return undefined;
    const known = this.loaded.get(id);
    if (known?.specHash === specHash) return known.value;
    const value = this.read(id, specHash);
    this.loaded.set(id, { specHash, value });
    // A miss or a failure is not kept: the next call asks again.
    const forget = () => {
      if (this.loaded.get(id)?.value === value) this.loaded.delete(id);
    };
    value.then(result => result ?? forget(), forget);
    return value;
  }

  private async read(
    id: string,
    specHash: string,
  ): Promise<Loaded | undefined> {
    const [detail, row] = await Promise.all([
      this.directory.detail(id),
      this.db('spec_versions')
        .where({ product_id: id, spec_hash: specHash })
        .first('spec_text'),
    ]);
    if (!detail || !row) return undefined;
    return { detail, specText: row.spec_text as string };
  }
}

/**
 * The backend's built-in mock on a loopback port, for sandbox keys of
 * products without `sandboxUrl`: the same classes as in the backend, so the
 * answers are the same whichever gateway serves the call.
 */
export function startBuiltInSandbox(options: {
  products: RemoteProductDirectory;
  database: Knex;
  signingSecret: string;
  logger: LoggerService;
}): Promise<MockSandboxServer> {
  const { logger } = options;
  return MockSandboxServer.start({
    sandbox: new MockSandbox({
      products: new DirectoryMockProducts(options.products, options.database),
      logger,
    }),
    signingSecret: options.signingSecret,
    logger,
  });
}
