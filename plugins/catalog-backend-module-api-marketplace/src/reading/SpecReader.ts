import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import { assertSameRepository } from './assertSameRepository';
import { FileSpecReader } from './FileSpecReader';
import { SpecLocation, isHttpUrl } from './SpecLocation';
import { ConditionalReadOptions, UrlSpecReader } from './UrlSpecReader';

/** A spec document as read, with the validators of a URL response. */
export type SpecSource = {
  location: SpecLocation;
  text: string;
  etag?: string;
  lastModifiedAt?: Date;
};

/**
 * Resolves and reads spec documents from files and URLs: the one place that
 * decides what may be read, and how much.
 */
export class SpecReader {
  static fromConfig(
    config: Config,
    options: { reader: UrlReaderService; maxBytes: number },
  ): SpecReader {
    return new SpecReader({
      files: FileSpecReader.fromConfig(config, options),
      urls: new UrlSpecReader(options),
      integrations: ScmIntegrations.fromConfig(config),
    });
  }

  constructor(
    private readonly options: {
      files: FileSpecReader;
      urls: UrlSpecReader;
      integrations: ScmIntegrationRegistry;
    },
  ) {}

  /**
   * Resolves a relative path or an absolute URL against the location of the
   * document that mentions it. File locations resolve against the file's
   * directory; URL locations resolve like Backstage's stock placeholders
   * (SCM-aware, same repository only).
   */
  resolve(reference: string, base: SpecLocation): SpecLocation {
    if (base.type === 'url') {
      let url: string;
      try {
        url = this.options.integrations.resolveUrl({
          url: reference,
          base: base.target,
        });
        assertSameRepository(url, base.target);
      } catch (error) {
        throw new InputError(
          `could not form a URL out of ${base.target} and ${reference}, ${error}`,
        );
      }
      if (!isHttpUrl(url)) {
        throw new InputError(`${reference} is not an http(s) URL`);
      }
      return { type: 'url', target: url };
    }
    if (isHttpUrl(reference)) {
      return { type: 'url', target: reference };
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) {
      throw new InputError(
        `${reference} must be a relative path or an http(s) URL`,
      );
    }
    return {
      type: 'file',
      target: path.resolve(path.dirname(base.target), reference),
    };
  }

  /**
   * Reads a document. With validators of a previous URL read, an unchanged
   * document ends in a `NotModifiedError` instead of a download.
   */
  async read(
    location: SpecLocation,
    conditional?: ConditionalReadOptions,
  ): Promise<SpecSource> {
    if (location.type === 'file') {
      const text = await this.options.files.read(location.target);
      return { location, text: stripBom(text) };
    }
    const result = await this.options.urls.read(location.target, conditional);
    return { location, ...result, text: stripBom(result.text) };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
