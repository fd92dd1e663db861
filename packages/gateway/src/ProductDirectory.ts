import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import {
  Pricing,
  ProductDetail,
  pricingSchema,
} from '@portico/plugin-api-marketplace-common';
import type { GatewayProductSource } from '@portico/plugin-api-marketplace-backend';
import type {
  ProductResolver,
  ResolvedProduct,
} from '@portico/plugin-api-marketplace-node';
import type { Redis } from 'ioredis';
import { request } from 'undici';

/** What the gateway needs of a published product. */
export interface DirectoryProduct {
  id: string;
  baseUrl: string;
  sandboxUrl?: string;
  pricing: Pricing;
  /** Hash of the published spec text, as the backend records it. */
  specHash?: string;
}

export interface RemoteProductDirectoryOptions {
  /** The backend, e.g. `http://backend:7007`. */
  backendBaseUrl: string;
  /** A static `backend.auth.externalAccess` token. */
  token: string;
  refreshMs: number;
  logger: LoggerService;
  /** Upstream of sandbox keys for products without `sandboxUrl`; none: `wrong_environment`. */
  sandboxUrlFor?: (productId: string) => string | undefined;
  /**
   * Where the last good list is shared between replicas, so that a replica
   * starting while the backend is down can still serve.
   */
  redis?: { client: Redis; key: string };
  /** Per backend request. Default 10 s. */
  timeoutMs?: number;
}

const PRODUCT_ID = /^[a-z][a-z0-9-]{0,62}$/;
const SHARED_COPY_TTL_SECONDS = 7 * 24 * 3600;
/** A product id the backend did not know is asked again after this long. */
const MISS_TTL_MS = 5_000;

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** One item of `GET /v1/products`, or the reason it cannot be served. */
function toDirectoryProduct(item: any): DirectoryProduct | string {
  if (!item || typeof item.id !== 'string' || !PRODUCT_ID.test(item.id)) {
    return 'id is missing or malformed';
  }
  if (!isHttpUrl(item.baseUrl)) return `${item.id}: baseUrl is not http(s)`;
  if (item.sandboxUrl !== undefined && !isHttpUrl(item.sandboxUrl)) {
    return `${item.id}: sandboxUrl is not http(s)`;
  }
  const pricing = pricingSchema.safeParse(item.pricing);
  if (!pricing.success) return `${item.id}: pricing is invalid`;
  return {
    id: item.id,
    baseUrl: item.baseUrl,
    sandboxUrl: item.sandboxUrl,
    pricing: pricing.data,
    specHash: typeof item.specHash === 'string' ? item.specHash : undefined,
  };
}

/**
 * Published products as the backend's REST API lists them
 * (`GET /api/api-marketplace/v1/products`, service token), re-read every
 * `refreshMs`. A failed refresh keeps the last good list. A product id
 * missing from the list (published since the last refresh) is fetched on
 * its own by `get`, so a new product works before the next refresh.
 * `resolve` is synchronous: the hot path never waits for the backend.
 */
export class RemoteProductDirectory
  implements ProductResolver, GatewayProductSource
{
  private products = new Map<string, DirectoryProduct>();
  private resolved = new Map<string, ResolvedProduct>();
  private readonly misses = new Map<string, number>();
  private readonly fetching = new Map<
    string,
    Promise<DirectoryProduct | undefined>
  >();
  private loaded = false;
  private failing = false;
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<boolean>;
  /** Epoch ms of the last good list, from the backend or the shared copy. */
  loadedAt?: number;

  constructor(private readonly options: RemoteProductDirectoryOptions) {}

  /** True once a product list (fresh or last good) is held. */
  get ready(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.products.size;
  }

  /** Loads now, then every `refreshMs`; resolves after the first attempt. */
  async start(): Promise<void> {
    const ok = await this.refresh();
    if (!ok && !this.loaded) await this.loadSharedCopy();
    this.timer = setInterval(() => {
      void this.refresh();
    }, this.options.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  resolve(productId: string): ResolvedProduct | undefined {
    return this.resolved.get(productId);
  }

  async get(productId: string): Promise<DirectoryProduct | undefined> {
    const known = this.products.get(productId);
    if (known) return known;
    if (!PRODUCT_ID.test(productId)) return undefined;
    const missedAt = this.misses.get(productId);
    if (missedAt !== undefined && Date.now() - missedAt < MISS_TTL_MS) {
      return undefined;
    }
    let running = this.fetching.get(productId);
    if (!running) {
      running = this.fetchOne(productId).finally(() =>
        this.fetching.delete(productId),
      );
      this.fetching.set(productId, running);
    }
    return running;
  }

  /** `GET /v1/products/{id}`: the product with its operations, for the built-in mock. */
  async detail(productId: string): Promise<ProductDetail | undefined> {
    if (!PRODUCT_ID.test(productId)) return undefined;
    try {
      return (await this.call(
        `/v1/products/${encodeURIComponent(productId)}`,
      )) as ProductDetail;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }

  /** One refresh from the backend; false (and the last good list kept) on failure. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<boolean> {
    let items: unknown[];
    try {
      const body = (await this.call('/v1/products')) as { items?: unknown };
      if (!body || !Array.isArray(body.items)) {
        throw new Error('the answer has no items list');
      }
      items = body.items;
    } catch (error) {
      if (!this.failing) {
        this.options.logger.warn(
          `Cannot read products from the backend; ${
            this.loaded ? 'serving the last good list' : 'not ready yet'
          }: ${stringifyError(error)}`,
        );
      }
      this.failing = true;
      return false;
    }
    const products: DirectoryProduct[] = [];
    for (const item of items) {
      const product = toDirectoryProduct(item);
      if (typeof product === 'string') {
        this.options.logger.warn(`Product skipped: ${product}`);
      } else {
        products.push(product);
      }
    }
    this.replace(products, Date.now());
    if (this.failing) {
      this.options.logger.info('Products read from the backend again');
    }
    this.failing = false;
    await this.saveSharedCopy(products);
    return true;
  }

  private async fetchOne(
    productId: string,
  ): Promise<DirectoryProduct | undefined> {
    let item: unknown;
    try {
      item = await this.call(`/v1/products/${encodeURIComponent(productId)}`);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) {
        this.misses.set(productId, Date.now());
        return undefined;
      }
      // Unknown outcome: the key lookup fails and the verifier decides
      // (stale cache or service_unavailable).
      throw error;
    }
    const product = toDirectoryProduct(item);
    if (typeof product === 'string') {
      this.misses.set(productId, Date.now());
      return undefined;
    }
    this.add(product);
    return product;
  }

  private async call(path: string): Promise<unknown> {
    const timeout = this.options.timeoutMs ?? 10_000;
    const response = await request(
      `${this.options.backendBaseUrl}/api/api-marketplace${path}`,
      {
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json',
        },
        headersTimeout: timeout,
        bodyTimeout: timeout,
      },
    );
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw Object.assign(
        new Error(`GET ${path} answered ${response.statusCode}`),
        { statusCode: response.statusCode },
      );
    }
    return response.body.json();
  }

  private toResolved(product: DirectoryProduct): ResolvedProduct {
    return {
      baseUrl: product.baseUrl,
      sandboxUrl:
        product.sandboxUrl ?? this.options.sandboxUrlFor?.(product.id),
    };
  }

  private replace(products: DirectoryProduct[], at: number): void {
    this.products = new Map(products.map(p => [p.id, p]));
    this.resolved = new Map(products.map(p => [p.id, this.toResolved(p)]));
    this.misses.clear();
    this.loaded = true;
    this.loadedAt = at;
  }

  private add(product: DirectoryProduct): void {
    this.products.set(product.id, product);
    this.resolved.set(product.id, this.toResolved(product));
    this.misses.delete(product.id);
  }

  private async saveSharedCopy(products: DirectoryProduct[]): Promise<void> {
    const shared = this.options.redis;
    if (!shared) return;
    try {
      await shared.client.set(
        shared.key,
        JSON.stringify({ at: this.loadedAt, products }),
        'EX',
        SHARED_COPY_TTL_SECONDS,
      );
    } catch {
      // Redis down: the copy is a convenience, the next refresh retries.
    }
  }

  private async loadSharedCopy(): Promise<void> {
    const shared = this.options.redis;
    if (!shared) return;
    try {
      const text = await shared.client.get(shared.key);
      if (!text) return;
      const copy = JSON.parse(text) as { at: number; products: unknown[] };
      const products = copy.products
        .map(toDirectoryProduct)
        .filter((p): p is DirectoryProduct => typeof p !== 'string');
      this.replace(products, copy.at);
      this.options.logger.warn(
        `Serving ${
          products.length
        } products from the last good list shared in Redis (from ${new Date(
          copy.at,
        ).toISOString()}) until the backend answers`,
      );
    } catch (error) {
      this.options.logger.warn(
        `No shared product list to fall back on: ${stringifyError(error)}`,
      );
    }
  }
}
