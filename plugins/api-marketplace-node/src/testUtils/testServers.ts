import { createHash } from 'node:crypto';
import {
  IncomingHttpHeaders,
  RequestListener,
  Server,
  createServer,
} from 'node:http';
import { AddressInfo, createConnection } from 'node:net';

/** What the echo upstream saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyLength: number;
  bodySha256: string;
}

export async function listen(
  listener: RequestListener,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A local upstream: echoes what it received as JSON; `/stream/{n}` answers
 * n KiB in 1 KiB chunks; `/status/{code}` answers that status.
 */
export async function echoUpstream() {
  const seen: SeenRequest[] = [];
  const server = await listen((req, res) => {
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
    });
    req.on('end', () => {
      const request = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        bodyLength: length,
        bodySha256: hash.digest('hex'),
      };
      seen.push(request);
      const stream = /\/stream\/(\d+)$/.exec(req.url!);
      if (stream) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(1024, 'x');
        for (let i = 0; i < Number(stream[1]); i++) res.write(chunk);
        res.end();
        return;
      }
      const status = /\/status\/(\d{3})$/.exec(req.url!);
      res.writeHead(status ? Number(status[1]) : 200, {
        'content-type': 'application/json',
        'keep-alive': 'timeout=5',
        'x-upstream': 'yes',
      });
      res.end(JSON.stringify(request));
    });
  });
  return { ...server, seen };
}

/**
 * Sends a request exactly as written (no client normalising headers or the
 * path) on a fresh connection and returns status, headers and body.
 */
export async function rawRequest(
  url: string,
  head: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line
          .slice(colon + 1)
          .trim();
      }
      let body = text.slice(split + 4);
      if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(head.replace(/\n/g, '\r\n'));
  });
}

function unchunk(body: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, lineEnd), 16);
    if (!size) return out;
    out += body.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
