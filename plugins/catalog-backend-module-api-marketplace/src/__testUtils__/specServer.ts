import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

/** A local HTTP server for specs, with `ETag` and `Last-Modified`. */
export type SpecServer = {
  /** The absolute URL of a path on the server. */
  url(pathname: string): string;
  /** Every request answered, in order. */
  requests: Array<{ path: string; status: number; ifNoneMatch?: string }>;
  /** Serves `body` at `pathname` instead of a file. */
  set(pathname: string, body: string | Buffer): void;
  close(): Promise<void>;
};

const LAST_MODIFIED = new Date('2025-01-01T00:00:00Z').toUTCString();

/** Serves the files below `root` on 127.0.0.1 and a free port. */
export async function startSpecServer(root: string): Promise<SpecServer> {
  const overrides = new Map<string, Buffer>();
  const requests: SpecServer['requests'] = [];

  const read = async (pathname: string): Promise<Buffer | undefined> => {
    const override = overrides.get(pathname);
    if (override) {
      return override;
    }
    const file = path.join(root, decodeURIComponent(pathname));
    if (!file.startsWith(root)) {
      return undefined;
    }
    return fs.readFile(file).catch(() => undefined);
  };

  const server = http.createServer(async (req, res) => {
    res.on('error', () => {});
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const ifNoneMatch = req.headers['if-none-match'];
    const respond = (status: number, body?: Buffer) => {
      requests.push({ path: pathname, status, ifNoneMatch });
      if (body) {
        res.setHeader(
          'ETag',
          `"${createHash('sha1').update(body).digest('hex')}"`,
        );
        res.setHeader('Last-Modified', LAST_MODIFIED);
        res.setHeader('Content-Type', 'application/octet-stream');
      }
      res.statusCode = status;
      res.end(status === 200 ? body : undefined);
    };
    const body = await read(pathname);
    if (!body) {
      respond(404);
      return;
    }
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (ifNoneMatch === etag) {
      respond(304, body);
      return;
    }
    respond(200, body);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: pathname => `http://127.0.0.1:${port}${pathname}`,
    requests,
    set: (pathname, body) => overrides.set(pathname, Buffer.from(body)),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens. */
export async function unreachableUrl(pathname: string): Promise<string> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${pathname}`;
}
