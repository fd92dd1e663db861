import {
  UrlReaderService,
  UrlReaderServiceReadUrlResponse,
} from '@backstage/backend-plugin-api';
import {
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import { formatBytes } from './formatBytes';

/** What a URL read returned, with the validators for a conditional re-read. */
export type UrlReadResult = {
  text: string;
  etag?: string;
  lastModifiedAt?: Date;
};

/** Validators of a previous read; a match ends in a `NotModifiedError`. */
export type ConditionalReadOptions = {
  etag?: string;
  lastModifiedAfter?: Date;
};

/**
 * Reads specs through the backend's `UrlReaderService`, so that integrations
 * (GitHub tokens, …) and `backend.reading.allow` apply. Responses larger
 * than `maxBytes` are aborted while streaming.
 */
export class UrlSpecReader {
  constructor(
    private readonly options: {
      reader: UrlReaderService;
      maxBytes: number;
      /** @defaultValue 60 seconds */
      timeoutMs?: number;
    },
  ) {}

  async read(
    url: string,
    conditional: ConditionalReadOptions = {},
  ): Promise<UrlReadResult> {
    let response: UrlReaderServiceReadUrlResponse;
    try {
      response = await this.options.reader.readUrl(url, {
        etag: conditional.etag,
        lastModifiedAfter: conditional.lastModifiedAfter,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw wrapReadError(url, error);
    }
    const buffer = await this.readCapped(url, response);
    return {
      text: buffer.toString('utf8'),
      etag: response.etag,
      lastModifiedAt: response.lastModifiedAt,
    };
  }

  private async readCapped(
    url: string,
    response: UrlReaderServiceReadUrlResponse,
  ): Promise<Buffer> {
    const { maxBytes } = this.options;
    const tooLarge = (bytes: string) =>
      new InputError(
        `${url} is ${bytes}, above the limit of ${formatBytes(maxBytes)}`,
      );
    try {
      if (!response.stream) {
        const buffer = await response.buffer();
        if (buffer.length > maxBytes) {
          throw tooLarge(formatBytes(buffer.length));
        }
        return buffer;
      }
      const stream = response.stream();
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of stream) {
        const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        total += data.length;
        if (total > maxBytes) {
          stream.destroy();
          throw tooLarge(`more than ${formatBytes(maxBytes)}`);
        }
        chunks.push(data);
      }
      return Buffer.concat(chunks);
    } catch (error) {
      throw wrapReadError(url, error);
    }
  }
}

/**
 * Keeps errors the catalog knows how to classify, by name since readers may
 * use another copy of `@backstage/errors`; wraps the rest with the URL.
 */
function wrapReadError(url: string, error: unknown): Error {
  if (error instanceof InputError) {
    return error;
  }
  switch ((error as Error | undefined)?.name) {
    case 'NotModifiedError':
      return new NotModifiedError();
    case 'NotFoundError':
      return new NotFoundError(`${url} was not found`);
    case 'NotAllowedError':
      return new NotAllowedError((error as Error).message);
    default:
      return new ForwardedError(`could not read ${url}`, error);
  }
}
