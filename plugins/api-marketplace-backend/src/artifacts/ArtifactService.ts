import { DiscoveryService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ProductService } from '../products/ProductService';
import { parseSpecText } from '../products/specDocument';
import { CodeSnippet, generateCodeSnippets } from './codeSnippets';
import { generatePostmanCollection } from './postmanCollection';
import { generateTypescriptClient } from './typescriptClient';

const MAX_CACHED = 64;

/**
 * Artifacts generated from a product's current spec. Results are cached by
 * spec hash, so a changed spec regenerates them on the next request.
 */
export class ArtifactService {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(
    private readonly products: ProductService,
    private readonly discovery: DiscoveryService,
  ) {}

  /** Where partners call a product with their keys: the gateway route. */
  async gatewayBaseUrl(productId: string): Promise<string> {
    const base = await this.discovery.getExternalBaseUrl('api-marketplace');
    return `${base}/gateway/${productId}`;
  }

  async postmanCollection(productId: string): Promise<object> {
    const { product, specText } = await this.load(productId);
    return this.cached(`${product.specHash}:postman`, async () =>
      generatePostmanCollection({
        specText,
        baseUrl: await this.gatewayBaseUrl(productId),
      }),
    );
  }

  async typescriptClient(productId: string): Promise<string> {
    const { product, specText } = await this.load(productId);
    return this.cached(`${product.specHash}:typescript`, async () =>
      generateTypescriptClient({
        doc: parseSpecText(specText),
        title: product.title,
        baseUrl: await this.gatewayBaseUrl(productId),
      }),
    );
  }

  async snippets(
    productId: string,
    operationId: string,
  ): Promise<CodeSnippet[]> {
    const { product } = await this.load(productId);
    const operation = product.operations.find(
      op => op.operationId === operationId,
    );
    if (!operation) {
      throw new NotFoundError(
        `Product '${productId}' has no operation '${operationId}'`,
      );
    }
    return generateCodeSnippets(
      operation,
      await this.gatewayBaseUrl(productId),
    );
  }

  private async load(productId: string) {
    const product = await this.products.get(productId);
    const specText = await this.products.getSpecText(productId);
    if (!product || specText === undefined) {
      throw new NotFoundError(`No product with id '${productId}'`);
    }
    return { product, specText };
  }

  private cached<T>(key: string, make: () => Promise<T>): Promise<T> {
    let entry = this.cache.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = make();
      // A failed generation is not remembered; the next request retries.
      entry.catch(() => this.cache.delete(key));
      this.cache.set(key, entry);
      if (this.cache.size > MAX_CACHED) {
        this.cache.delete(this.cache.keys().next().value!);
      }
    }
    return entry;
  }
}
