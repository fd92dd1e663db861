import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_SPEC_LINT,
  LintSummary,
  ProductDetail,
  ProductSummary,
  parseApiProduct,
} from '@portico/plugin-api-marketplace-common';
import { extractOperations } from './extractOperations';
import { SpecHistoryRecorder } from './SpecHistoryRecorder';
import { SpecDocument, hashSpecText, parseSpecText } from './specDocument';

/** Filters of `GET /v1/products`. */
export interface ProductFilter {
  category?: string;
  status?: string;
  tag?: string;
  q?: string;
}

interface LoadedProduct {
  detail: ProductDetail;
  specText: string;
  doc: SpecDocument;
}

function parseLint(entity: Entity): LintSummary | undefined {
  const raw = entity.metadata.annotations?.[ANNOTATION_SPEC_LINT];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as LintSummary;
  } catch {
    return undefined;
  }
}

/**
 * The read model of published products, built from `API` entities that
 * carry a valid `spec.marketplace` block. Parsed specs are kept per spec
 * hash, so a refresh only re-parses what changed.
 */
export class ProductService {
  private products = new Map<string, LoadedProduct>();
  private loadedAt = 0;
  private loading?: Promise<void>;
  private readonly parsedByHash = new Map<string, LoadedProduct>();

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    history: SpecHistoryRecorder;
    maxAgeMs?: number;
  }): ProductService {
    return new ProductService(
      options.catalog,
      options.auth,
      options.logger,
      options.history,
      options.maxAgeMs ?? 5_000,
    );
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
    private readonly history: SpecHistoryRecorder,
    private readonly maxAgeMs: number,
  ) {}

  /** Reads the catalog now; run on a schedule so history misses no version. */
  async refresh(): Promise<void> {
    this.loadedAt = 0;
    await this.ensureFresh();
  }

  async list(filter: ProductFilter = {}): Promise<ProductSummary[]> {
    await this.ensureFresh();
    const q = filter.q?.toLocaleLowerCase('en-US');
    return [...this.products.values()]
      .map(({ detail }) => detail)
      .filter(p => !filter.category || p.category === filter.category)
      .filter(p => !filter.status || p.status === filter.status)
      .filter(p => !filter.tag || p.tags.includes(filter.tag))
      .filter(
        p =>
          !q ||
          [p.id, p.title, p.description, ...p.tags].some(text =>
            text.toLocaleLowerCase('en-US').includes(q),
          ),
      )
      .sort((a, b) => a.title.localeCompare(b.title, 'en-US'))
      .map(({ operations: _operations, ...summary }: ProductDetail) => summary);
  }

  async get(id: string): Promise<ProductDetail | undefined> {
    await this.ensureFresh();
    return this.products.get(id)?.detail;
  }

  /**
   * The product as last loaded, without waiting: for the gateway's hot path.
   * A stale list is refreshed in the background.
   */
  peek(id: string): ProductDetail | undefined {
    if (Date.now() - this.loadedAt >= this.maxAgeMs) {
      this.ensureFresh().catch(error =>
        this.logger.warn(`Could not refresh the products: ${error}`),
      );
    }
    return this.products.get(id)?.detail;
  }

  /** The bundled spec text of a product, for artifact generation. */
  async getSpecText(id: string): Promise<string | undefined> {
    await this.ensureFresh();
    return this.products.get(id)?.specText;
  }

  private async ensureFresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.maxAgeMs) return;
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    await this.loading;
  }

  private async load(): Promise<void> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const { items } = await this.catalog.getEntities(
      { filter: { kind: 'API' } },
      { credentials },
    );
    const next = new Map<string, LoadedProduct>();
    const ordered = [...items].sort((a, b) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b), 'en-US'),
    );
    for (const entity of ordered) {
      if (!(entity.spec as any)?.marketplace) continue;
      const loaded = this.loadEntity(entity);
      if (!loaded) continue;
      const existing = next.get(loaded.detail.id);
      if (existing) {
        this.logger.warn(
          `Marketplace id '${loaded.detail.id}' of ${loaded.detail.entityRef} is already used by ${existing.detail.entityRef}; not published`,
        );
        continue;
      }
      next.set(loaded.detail.id, loaded);
    }
    for (const { detail, specText, doc } of next.values()) {
      try {
        await this.history.record({ ...detail, specText, doc });
      } catch (error) {
        this.logger.error(
          `Could not record the spec history of ${detail.id}: ${error}`,
        );
      }
    }
    this.products = next;
    this.loadedAt = Date.now();
    // Forget parses of specs that are gone, so memory follows the catalog.
    const live = new Set([...next.values()]);
    for (const [key, loaded] of this.parsedByHash) {
      if (!live.has(loaded)) this.parsedByHash.delete(key);
    }
  }

  private loadEntity(entity: Entity): LoadedProduct | undefined {
    const entityRef = stringifyEntityRef(entity);
    const parsed = parseApiProduct((entity.spec as any)?.marketplace);
    if (!parsed.success) {
      this.logger.warn(
        `${entityRef} has an invalid marketplace block: ${parsed.errors.join(
          '; ',
        )}`,
      );
      return undefined;
    }
    const definition = (entity.spec as any)?.definition;
    if (typeof definition !== 'string') {
      this.logger.warn(`${entityRef} has no resolved spec definition`);
      return undefined;
    }
    const specHash = hashSpecText(definition);
    const cacheKey = `${entityRef}\u0000${specHash}\u0000${
      entity.metadata.etag ?? ''
    }`;
    const cached = this.parsedByHash.get(cacheKey);
    if (cached) return cached;
    try {
      const doc = parseSpecText(definition);
      const operations = extractOperations(doc);
      const loaded: LoadedProduct = {
        specText: definition,
        doc,
        detail: {
          ...parsed.product,
          entityRef,
          title:
            entity.metadata.title ?? doc.info?.title ?? entity.metadata.name,
          description:
            entity.metadata.description ?? doc.info?.description ?? '',
          version: String(doc.info?.version ?? ''),
          specVersion: String(doc.openapi ?? doc.swagger),
          specHash,
          lint: parseLint(entity),
          operationCount: operations.length,
          updatedAt: new Date().toISOString(),
          operations,
        },
      };
      this.parsedByHash.set(cacheKey, loaded);
      return loaded;
    } catch (error) {
      this.logger.warn(
        `${entityRef} has an unreadable spec: ${(error as Error).message}`,
      );
      return undefined;
    }
  }
}
