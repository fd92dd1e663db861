import { createHash } from 'node:crypto';
import { InputError, NotAllowedError } from '@backstage/errors';
import { stringify as stringifyYaml } from 'yaml';
import { formatBytes } from '../reading/formatBytes';
import {
  SpecLocation,
  formatHint,
  stringifySpecLocation,
} from '../reading/SpecLocation';
import { SpecReader, SpecSource } from '../reading/SpecReader';
import { assertOpenApiDocument, specVersionOf } from './assertOpenApiDocument';
import { bundleSpec } from './bundleSpec';
import { SpecFormat, parseSpecText } from './parseSpecText';
import { SizeBoundedCache } from './SizeBoundedCache';

/** Bundled specs kept in memory, in characters. */
const DEFAULT_CACHE_SIZE = 256 * 1024 * 1024;

/** A spec ready for the catalog. */
export type IngestedSpec = {
  /** The bundled spec: one document whose `$ref`s are all internal. */
  definition: string;
  /** SHA-256 (hex) of `definition`. */
  hash: string;
  /** The syntax of the source, kept for the bundle. */
  format: SpecFormat;
  /** `OpenAPI 3.1.0` or `Swagger 2.0`. */
  specVersion: string;
  /** The documents read: the spec itself, if read, and every referenced one. */
  sources: SpecLocation[];
};

/** What a document looked like when it was read. */
type SourceStamp = {
  location: SpecLocation;
  sha256: string;
  etag?: string;
  lastModifiedAt?: Date;
};

type CacheEntry = { stamps: SourceStamp[]; spec: IngestedSpec };

/**
 * Turns spec text into a bundled, checked spec: size limit, JSON/YAML
 * parsing, OpenAPI check, `$ref` bundling.
 *
 * Results are cached with a stamp of every document that went into them.
 * Catalog processing runs every few minutes, so a cached spec is only
 * re-checked: files are re-read and hashed, URLs are re-read with
 * `If-None-Match`/`If-Modified-Since`, and only a changed document leads to
 * parsing and bundling again.
 */
export class SpecIngester {
  private readonly cache: SizeBoundedCache<CacheEntry>;

  constructor(
    private readonly options: {
      reader: SpecReader;
      /** Limit of every document read and of the bundle. */
      maxBytes: number;
      cacheSize?: number;
    },
  ) {
    this.cache = new SizeBoundedCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  /** Ingests the spec at a location, with `$ref`s relative to it. */
  async ingestLocation(location: SpecLocation): Promise<IngestedSpec> {
    const key = `location:${stringifySpecLocation(location)}`;
    const cached = this.cache.get(key);
    let root: SpecSource | undefined;
    if (cached) {
      const [rootStamp, ...dependencies] = cached.stamps;
      root = await this.readIfChanged(rootStamp);
      if (!root && (await this.unchanged(dependencies))) {
        return cached.spec;
      }
    }
    root ??= await this.options.reader.read(location);
    return this.ingest(key, root.text, location, stampOf(root));
  }

  /**
   * Ingests spec text given inline, with `$ref`s relative to `base` (the
   * location of the entity that holds it), if any.
   */
  async ingestText(text: string, base?: SpecLocation): Promise<IngestedSpec> {
    const where = base ? stringifySpecLocation(base) : '';
    const key = `text:${sha256(text)}@${where}`;
    const cached = this.cache.get(key);
    if (cached && (await this.unchanged(cached.stamps))) {
      return cached.spec;
    }
    return this.ingest(key, text, base);
  }

  private async ingest(
    key: string,
    text: string,
    location: SpecLocation | undefined,
    rootStamp?: SourceStamp,
  ): Promise<IngestedSpec> {
    const { maxBytes, reader } = this.options;
    const name = rootStamp && location ? location.target : 'spec.definition';
    const { document, format } = parseSpecText(text, {
      name,
      hint: rootStamp && location ? formatHint(location.target) : undefined,
      maxBytes,
    });
    assertOpenApiDocument(document, name);
    const specVersion = specVersionOf(document);

    const stamps = new Map<string, SourceStamp>();
    if (rootStamp) {
      stamps.set(stringifySpecLocation(rootStamp.location), rootStamp);
    }
    const { external } = await bundleSpec({
      document,
      location,
      name,
      maxBytes,
      read: async referenced => {
        if (referenced.type === 'file' && location?.type !== 'file') {
          throw new NotAllowedError(
            `${referenced.target} is a local file; only specs from file locations may reference files`,
          );
        }
        const source = await reader.read(referenced);
        stamps.set(stringifySpecLocation(referenced), stampOf(source));
        return source.text;
      },
    });

    // Without external references the source already is the bundle; keeping
    // it keeps its comments and layout, and saves serialising large specs.
    const definition = external ? serialize(document, format) : text;
    const bytes = Buffer.byteLength(definition);
    if (bytes > maxBytes) {
      throw new InputError(
        `${name} is ${formatBytes(
          bytes,
        )} once bundled, above the limit of ${formatBytes(maxBytes)}`,
      );
    }
    const spec: IngestedSpec = {
      definition,
      hash: sha256(definition),
      format,
      specVersion,
      sources: [...stamps.values()].map(stamp => stamp.location),
    };
    this.cache.set(
      key,
      { stamps: [...stamps.values()], spec },
      definition.length,
    );
    return spec;
  }

  /** The document again if it changed since it was stamped. */
  private async readIfChanged(
    stamp: SourceStamp,
  ): Promise<SpecSource | undefined> {
    let source: SpecSource;
    try {
      source = await this.options.reader.read(stamp.location, {
        etag: stamp.etag,
        lastModifiedAfter: stamp.lastModifiedAt,
      });
    } catch (error) {
      if ((error as Error | undefined)?.name === 'NotModifiedError') {
        return undefined;
      }
      throw error;
    }
    return sha256(source.text) === stamp.sha256 ? undefined : source;
  }

  private async unchanged(stamps: SourceStamp[]): Promise<boolean> {
    for (const stamp of stamps) {
      if (await this.readIfChanged(stamp)) {
        return false;
      }
    }
    return true;
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function stampOf(source: SpecSource): SourceStamp {
  return {
    location: source.location,
    sha256: sha256(source.text),
    etag: source.etag,
    lastModifiedAt: source.lastModifiedAt,
  };
}

function serialize(document: object, format: SpecFormat): string {
  if (format === 'json') {
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  return stringifyYaml(document, {
    aliasDuplicateObjects: false,
    lineWidth: 0,
  });
}
