import http, { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { LookupFunction, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type { BuiltRequest } from './buildTarget';
import { CheckedHost, HostLookup, resolveAndCheckHost } from './hostCheck';

export interface SandboxCallerOptions {
  /**
   * Hosts, addresses or CIDR ranges that may be private (see
   * `resolveAndCheckHost`). The embedded demo allows `['localhost']`.
   */
  allowPrivate?: string[];
  /** Time to establish the TCP (and TLS) connection. Default 3 s. */
  connectTimeoutMs?: number;
  /** Time for the whole exchange, redirects and body included. Default 10 s. */
  timeoutMs?: number;
  /** Larger bodies are cut here and flagged `truncated`. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Same-origin redirects to follow; 0 follows none. Default 3. */
  maxRedirects?: number;
  /** Replaces DNS resolution, for tests. */
  lookup?: HostLookup;
  /** Sent when the request sets no User-Agent. */
  userAgent?: string;
}

export interface SandboxResponse {
  statusCode: number;
  /** Lower-cased names; hop-by-hop headers and Set-Cookie are removed. */
  headers: Record<string, string>;
  /** Parsed JSON, text, a base64 string for binary bodies, or null. */
  body: unknown;
  bodyEncoding: 'json' | 'text' | 'base64' | 'none';
  latencyMs: number;
  /** Body bytes received (after decompression), at most maxResponseBytes. */
  size: number;
  truncated: boolean;
  /** The URL that produced this response. */
  url: string;
  /** Same-origin redirects that were followed. */
  redirects: string[];
  /** A redirect that was not followed (other origin, or too many). */
  blockedRedirect?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HOP_BY_HOP_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'set-cookie2',
]);

interface Exchange {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  decoded: boolean;
}

class SandboxTimeout extends Error {}

function pinnedLookup(host: CheckedHost): LookupFunction {
  return ((
    _hostname: string,
    options: { all?: boolean },
    callback: (...args: any[]) => void,
  ) => {
    if (options?.all) {
      callback(null, [{ address: host.address, family: host.family }]);
    } else {
      callback(null, host.address, host.family);
    }
  }) as LookupFunction;
}

function decoderFor(encoding: string | undefined) {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

function isTextual(contentType: string): boolean {
  return /^(text\/|application\/(.*[+/])?(json|xml|javascript|x-www-form-urlencoded|yaml|x-yaml|graphql)\b)/i.test(
    contentType,
  );
}

/** Performs outbound calls to products' own sandboxes, safely. */
export class SandboxCaller {
  private readonly connectTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxRedirects: number;

  constructor(private readonly options: SandboxCallerOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 3;
  }

  /**
   * Sends a request built by `buildTarget`. The host is resolved and checked
   * here (never trust an earlier check), and the connection goes to the
   * checked address, so DNS rebinding cannot redirect it.
   *
   * @throws NotAllowedError when the host is not public and not allow-listed
   * @throws ServiceUnavailableError on DNS failure, refused connection or timeout
   */
  async call(
    request: BuiltRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<SandboxResponse> {
    const started = performance.now();
    let url = this.parseUrl(request.url);
    const host = await resolveAndCheckHost(url, {
      allowPrivate: this.options.allowPrivate,
      lookup: this.options.lookup,
    });

    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new SandboxTimeout()),
      this.timeoutMs,
    );
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });

    let method = request.method.toUpperCase();
    let body = request.body;
    const headers = { ...request.headers };
    const redirects: string[] = [];
    try {
      for (;;) {
        const exchange = await this.exchange(
          url,
          method,
          headers,
          body,
          host,
          controller.signal,
        );
        const location = exchange.headers.location;
        if (REDIRECTS.has(exchange.statusCode) && location) {
          let next: URL | undefined;
          try {
            next = new URL(location, url);
          } catch {
            next = undefined;
          }
          const followable =
            next &&
            next.origin === url.origin &&
            !next.username &&
            !next.password &&
            redirects.length < this.maxRedirects;
          if (next && followable) {
            redirects.push(next.href);
            url = next;
            if (
              exchange.statusCode === 303 ||
              ((exchange.statusCode === 301 || exchange.statusCode === 302) &&
                method === 'POST')
            ) {
              if (method !== 'HEAD') method = 'GET';
              body = undefined;
              delete headers['content-type'];
            }
            continue;
          }
          return this.toResponse(exchange, url, started, redirects, location);
        }
        return this.toResponse(exchange, url, started, redirects);
      }
    } catch (error) {
      throw this.translate(error, url, controller.signal);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  private parseUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InputError(`'${raw}' is not an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InputError(`sandbox calls must use http or https`);
    }
    if (url.username || url.password) {
      throw new InputError('sandbox URLs must not contain credentials');
    }
    return url;
  }

  private translate(error: unknown, url: URL, signal: AbortSignal): Error {
    const reason = signal.aborted ? signal.reason : undefined;
    if (reason instanceof SandboxTimeout || error instanceof SandboxTimeout) {
      return new ServiceUnavailableError(
        `the sandbox at ${url.host} did not answer within ${this.timeoutMs} ms`,
      );
    }
    if ((error as any)?.code === 'PORTICO_CONNECT_TIMEOUT') {
      return new ServiceUnavailableError(
        `the sandbox at ${url.host} did not accept a connection within ${this.connectTimeoutMs} ms`,
      );
    }
    if (signal.aborted) {
      return new ServiceUnavailableError('the sandbox call was cancelled');
    }
    const code = (error as any)?.code;
    if (code || error instanceof Error) {
      return new ServiceUnavailableError(
        `could not reach the sandbox at ${url.host}: ${
          code ?? (error as Error).message
        }`,
      );
    }
    return new ServiceUnavailableError('could not reach the sandbox');
  }

  private exchange(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    host: CheckedHost,
    signal: AbortSignal,
  ): Promise<Exchange> {
    return new Promise<Exchange>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const hostname = url.hostname.replace(/^\[|\]$/g, '');
      const outgoing: Record<string, string> = {
        'user-agent': this.options.userAgent ?? 'Portico-Sandbox/1.0',
        ...headers,
        host: url.host,
        'accept-encoding': 'gzip, deflate, br',
        connection: 'close',
      };
      if (body !== undefined) {
        outgoing['content-length'] = String(Buffer.byteLength(body));
      } else {
        delete outgoing['content-length'];
      }
      const req = (secure ? https : http).request({
        protocol: url.protocol,
        hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method,
        headers: outgoing,
        // A fresh connection per call: no pooled socket to another address.
        agent: false,
        lookup: pinnedLookup(host),
        ...(secure && isIP(hostname) === 0 ? { servername: hostname } : {}),
        maxHeaderSize: 32 * 1024,
        signal,
      });

      const connectTimer = setTimeout(() => {
        const error: NodeJS.ErrnoException = new Error('connect timeout');
        error.code = 'PORTICO_CONNECT_TIMEOUT';
        req.destroy(error);
      }, this.connectTimeoutMs);
      req.once('socket', socket => {
        socket.once(secure ? 'secureConnect' : 'connect', () =>
          clearTimeout(connectTimer),
        );
      });
      req.once('error', error => {
        clearTimeout(connectTimer);
        reject(error);
      });
      req.once('response', (res: IncomingMessage) => {
        clearTimeout(connectTimer);
        this.readBody(res, method)
          .then(resolve, reject)
          .finally(() => res.destroy());
      });
      req.end(body);
    });
  }

  private async readBody(
    res: IncomingMessage,
    method: string,
  ): Promise<Exchange> {
    const decoder = decoderFor(res.headers['content-encoding']);
    const source: Readable = decoder ? res.pipe(decoder) : res;
    if (decoder) res.once('error', error => decoder.destroy(error));
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    if (method !== 'HEAD') {
      for await (const chunk of source) {
        const buffer = chunk as Buffer;
        const room = this.maxResponseBytes - size;
        if (buffer.length > room) {
          chunks.push(buffer.subarray(0, room));
          size += room;
          truncated = true;
          break;
        }
        chunks.push(buffer);
        size += buffer.length;
      }
    }
    if (decoder) decoder.destroy();
    return {
      statusCode: res.statusCode ?? 0,
      headers: res.headers,
      body: Buffer.concat(chunks, size),
      truncated,
      decoded: Boolean(decoder),
    };
  }

  private toResponse(
    exchange: Exchange,
    url: URL,
    started: number,
    redirects: string[],
    blockedRedirect?: string,
  ): SandboxResponse {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(exchange.headers)) {
      if (value === undefined || HOP_BY_HOP_RESPONSE.has(name)) continue;
      if (
        exchange.decoded &&
        (name === 'content-encoding' || name === 'content-length')
      ) {
        continue;
      }
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const contentType = headers['content-type'] ?? '';
    let body: unknown = null;
    let bodyEncoding: SandboxResponse['bodyEncoding'] = 'none';
    if (exchange.body.length > 0) {
      const text = exchange.body.toString('utf8');
      const looksText =
        isTextual(contentType) ||
        (!contentType && !text.includes('\uFFFD') && !text.includes('\u0000'));
      if (/[/+]json\b/i.test(contentType) && !exchange.truncated) {
        try {
          body = JSON.parse(text);
          bodyEncoding = 'json';
        } catch {
          body = text;
          bodyEncoding = 'text';
        }
      } else if (looksText) {
        body = text;
        bodyEncoding = 'text';
      } else {
        body = exchange.body.toString('base64');
        bodyEncoding = 'base64';
      }
    }
    return {
      statusCode: exchange.statusCode,
      headers,
      body,
      bodyEncoding,
      latencyMs: Math.round(performance.now() - started),
      size: exchange.body.length,
      truncated: exchange.truncated,
      url: url.href,
      redirects,
      ...(blockedRedirect ? { blockedRedirect } : {}),
    };
  }
}

/** Wraps a value in single quotes for POSIX shells. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const DEFAULT_REDACTED = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
];

/**
 * Renders a built request as a copyable curl command. Every argument is
 * single-quoted, so nothing in it is expanded by the shell. Credential
 * headers are replaced by `<redacted>` unless `redactHeaders` says otherwise.
 */
export function toCurl(
  request: Pick<BuiltRequest, 'method' | 'url' | 'headers' | 'body'>,
  options: { redactHeaders?: string[] } = {},
): string {
  const redact = new Set(
    (options.redactHeaders ?? DEFAULT_REDACTED).map(h => h.toLowerCase()),
  );
  const method = request.method.toUpperCase();
  // `--request HEAD` would wait for a body that never comes.
  const parts = [
    method === 'HEAD' ? 'curl --head' : `curl --request ${method}`,
  ];
  parts.push(`--url ${shellQuote(request.url)}`);
  for (const [name, value] of Object.entries(request.headers)) {
    const shown = redact.has(name.toLowerCase()) ? '<redacted>' : value;
    parts.push(`--header ${shellQuote(`${name}: ${shown}`)}`);
  }
  if (request.body !== undefined) {
    // A shell argument cannot hold NUL bytes; they are left out.
    parts.push(`--data-raw ${shellQuote(request.body.replace(/\0/g, ''))}`);
  }
  return parts.join(' \\\n  ');
}
