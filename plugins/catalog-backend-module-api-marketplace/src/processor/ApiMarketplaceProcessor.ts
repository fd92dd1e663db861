import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, toError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_SPEC_HASH,
  ANNOTATION_SPEC_LINT,
  parseApiProduct,
} from '@portico/plugin-api-marketplace-common';
import { IngestedSpec, SpecIngester } from '../ingest/SpecIngester';
import { SpecLinter } from '../lint/SpecLinter';
import { RecordedLint } from '../lint/summarizeLint';
import {
  specLocationFromCatalog,
  stringifySpecLocation,
} from '../reading/SpecLocation';
import { SpecReader } from '../reading/SpecReader';

export type ApiMarketplaceProcessorOptions = {
  reader: SpecReader;
  ingester: SpecIngester;
  linter: SpecLinter;
  logger: LoggerService;
};

/** The processor cache entry of the last lint, kept across restarts. */
type StoredLint = { hash: string; lint: RecordedLint };

/** Errors of the reader and parser that mean the input is wrong. */
const INPUT_ERRORS = ['InputError', 'NotFoundError', 'NotAllowedError'];

/**
 * Prepares marketplace `API` entities for publication:
 *
 * - validates the `spec.marketplace` block;
 * - for `spec.type: openapi`, reads the spec (`spec.definition` text or a
 *   `$text` placeholder, relative to the entity's file or URL location),
 *   bundles its `$ref`s into one document, and writes it back to
 *   `spec.definition`, with its SHA-256 in `portico.dev/spec-hash` and the
 *   Spectral lint in `portico.dev/spec-lint`.
 *
 * A bad block or spec is a processing error on the entity, which keeps the
 * entity's last good version in the catalog. Lint findings are only
 * recorded.
 */
export class ApiMarketplaceProcessor implements CatalogProcessor {
  /** The last error logged per entity, so each is logged once. */
  private readonly loggedErrors = new Map<string, string>();

  constructor(private readonly options: ApiMarketplaceProcessorOptions) {}

  getProcessorName(): string {
    return 'ApiMarketplaceProcessor';
  }

  /**
   * Runs before the stock PlaceholderProcessor (priority 20): the `$text`
   * placeholder of the definition says where the spec lives, which its
   * relative `$ref`s need, and is gone once that processor ran.
   */
  getPriority(): number {
    return 10;
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    const spec = entity.spec as
      | { marketplace?: unknown; type?: unknown; definition?: unknown }
      | undefined;
    if (entity.kind !== 'API' || spec?.marketplace === undefined) {
      return entity;
    }
    const parsed = parseApiProduct(spec.marketplace);
    if (!parsed.success) {
      emit(
        processingResult.inputError(
          location,
          `Invalid marketplace block of ${
            entity.metadata.name
          }: ${parsed.errors.join('; ')}`,
        ),
      );
    }
    if (spec.type !== 'openapi') {
      return entity;
    }

    const entityRef = stringifyEntityRef(entity);
    let ingested: IngestedSpec;
    try {
      ingested = await this.ingest(spec.definition, location);
    } catch (e) {
      const error = toError(e);
      const message = `Could not ingest the OpenAPI spec of ${entityRef}: ${error.message}`;
      this.logOnce(entityRef, message);
      emit(
        INPUT_ERRORS.includes(error.name)
          ? processingResult.inputError(location, message)
          : processingResult.generalError(location, message),
      );
      // The emitted error keeps this result out of the catalog. Dropping the
      // placeholder spares a second, vaguer error from PlaceholderProcessor.
      return withDefinition(entity, `# ${message}`);
    }
    this.loggedErrors.delete(entityRef);
    for (const source of ingested.sources) {
      emit(processingResult.refresh(stringifySpecLocation(source)));
    }
    const lint = await this.lint(ingested, cache);
    return {
      ...withDefinition(entity, ingested.definition),
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_SPEC_HASH]: ingested.hash,
          [ANNOTATION_SPEC_LINT]: JSON.stringify(lint),
        },
      },
    };
  }

  private async ingest(
    definition: unknown,
    location: LocationSpec,
  ): Promise<IngestedSpec> {
    const { reader, ingester } = this.options;
    const base = specLocationFromCatalog(location);
    const placeholder = textPlaceholder(definition);
    if (placeholder !== undefined) {
      if (!base) {
        throw new InputError(
          `spec.definition: $text needs an entity from a file or url location, not ${location.type}`,
        );
      }
      return ingester.ingestLocation(reader.resolve(placeholder, base));
    }
    if (typeof definition === 'string') {
      return ingester.ingestText(definition, base);
    }
    throw new InputError(
      'spec.definition must be the spec text or a { $text: <path or URL> } placeholder',
    );
  }

  /** The lint of this spec: remembered for the entity, or run now. */
  private async lint(
    spec: IngestedSpec,
    cache: CatalogProcessorCache,
  ): Promise<RecordedLint> {
    const stored = await cache.get<StoredLint>('lint');
    if (stored?.hash === spec.hash && !stored.lint.skipped) {
      return stored.lint;
    }
    const lint = await this.options.linter.lint(spec);
    if (lint.skipped !== 'pending') {
      await cache.set<StoredLint>('lint', { hash: spec.hash, lint });
    }
    return lint;
  }

  private logOnce(entityRef: string, message: string) {
    if (this.loggedErrors.get(entityRef) !== message) {
      this.loggedErrors.set(entityRef, message);
      this.options.logger.warn(message);
    }
  }
}

/** The path or URL of a `{ $text: … }` definition, if it is one. */
function textPlaceholder(definition: unknown): string | undefined {
  if (
    typeof definition === 'object' &&
    definition !== null &&
    Object.keys(definition).length === 1 &&
    typeof (definition as { $text?: unknown }).$text === 'string'
  ) {
    return (definition as { $text: string }).$text;
  }
  return undefined;
}

function withDefinition(entity: Entity, definition: string): Entity {
  return { ...entity, spec: { ...entity.spec, definition } };
}
