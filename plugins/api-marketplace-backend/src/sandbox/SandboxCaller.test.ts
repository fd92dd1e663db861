import http, { IncomingMessage, ServerResponse } from 'node:http';
import {
  AddressInfo,
  Server as NetServer,
  Socket,
  createServer,
} from 'node:net';
import { gzipSync } from 'node:zlib';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { buildTarget } from './buildTarget';
import { SandboxCaller, shellQuote, toCurl } from './SandboxCaller';

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void;

interface TestServer {
  url: string;
  port: number;
  requests: Array<{
    method?: string;
    url?: string;
    headers: any;
    body: string;
  }>;
  close(): Promise<void>;
}

const servers: Array<{ close(): Promise<void> }> = [];

async function serve(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
      });
      handler(req, res, body);
    });
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const handle = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        sockets.forEach(s => s.destroy());
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()));
});

const allowLocal = { allowPrivate: ['127.0.0.1'] };

function get(url: string, path = '/', extra: Record<string, any> = {}) {
  return buildTarget({
    baseUrl: url,
    pathTemplate: path,
    pathParams: {},
    ...extra,
  });
}

describe('SandboxCaller', () => {
  it('performs the call and returns status, headers, parsed JSON, size and latency', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('set-cookie', 'session=upstream');
      res.setHeader('x-rate-limit', '10');
      res.end('{"ok":true}');
    });
    const caller = new SandboxCaller(allowLocal);
    const request = buildTarget({
      baseUrl: `${server.url}/v1`,
      method: 'POST',
      pathTemplate: '/parcels/{id}',
      pathParams: { id: 'PX 1' },
      query: { q: 'a b' },
      headers: { Accept: 'application/json', Cookie: 'x=1' },
      trustedHeaders: { 'x-api-key': 'sandbox-key' },
      body: { name: 'a' },
    });
    const response = await caller.call(request);
    expect(response).toMatchObject({
      statusCode: 200,
      body: { ok: true },
      bodyEncoding: 'json',
      size: 11,
      truncated: false,
      redirects: [],
      url: `${server.url}/v1/parcels/PX%201?q=a%20b`,
    });
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    expect(response.headers['x-rate-limit']).toBe('10');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(server.requests).toHaveLength(1);
    const [seen] = server.requests;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/parcels/PX%201?q=a%20b');
    expect(seen.body).toBe('{"name":"a"}');
    expect(seen.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(seen.headers['x-api-key']).toBe('sandbox-key');
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers['content-length']).toBe('12');
  });

  it('refuses a private host that is not allow-listed, before connecting', async () => {
    const server = await serve((_req, res) => res.end('secret'));
    const caller = new SandboxCaller();
    await expect(caller.call(get(server.url))).rejects.toThrow(NotAllowedError);
    await expect(
      caller.call(get(`http://0x7f.0.0.1:${server.port}`)),
    ).rejects.toThrow(NotAllowedError);
    expect(server.requests).toHaveLength(0);
  });

  it('connects to the address it checked, whatever DNS says next (rebinding)', async () => {
    const server = await serve((_req, res) => res.end('pinned'));
    const lookup = jest
      .fn()
      .mockResolvedValueOnce([{ address: '127.0.0.1', family: 4 }])
      .mockResolvedValue([{ address: '169.254.169.254', family: 4 }]);
    const caller = new SandboxCaller({ allowPrivate: ['127.0.0.1'], lookup });
    const response = await caller.call(
      get(`http://sandbox.test:${server.port}`, '/x'),
    );
    expect(response.body).toBe('pinned');
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(server.requests[0].headers.host).toBe(`sandbox.test:${server.port}`);
  });

  it('gives up when the whole exchange takes longer than the total timeout', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const caller = new SandboxCaller({ ...allowLocal, timeoutMs: 200 });
    const started = Date.now();
    const error = await caller.call(get(server.url)).catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `the sandbox at 127.0.0.1:${server.port} did not answer within 200 ms`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('counts a body that trickles in against the total timeout', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const caller = new SandboxCaller({ ...allowLocal, timeoutMs: 250 });
    await expect(caller.call(get(server.url))).rejects.toThrow(
      /did not answer within 250 ms/,
    );
  });

  it('gives up when the connection is not established in time', async () => {
    // A TCP server that never speaks TLS: the TLS handshake never completes.
    const sockets: Socket[] = [];
    const silent: NetServer = createServer(s => sockets.push(s));
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
    servers.push({
      close: () =>
        new Promise<void>(r => {
          sockets.forEach(s => s.destroy());
          silent.close(() => r());
        }),
    });
    const port = (silent.address() as AddressInfo).port;
    const caller = new SandboxCaller({
      ...allowLocal,
      connectTimeoutMs: 150,
      timeoutMs: 5000,
    });
    const error = await caller
      .call(get(`https://127.0.0.1:${port}`))
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `the sandbox at 127.0.0.1:${port} did not accept a connection within 150 ms`,
    );
  });

  it('reports a refused connection', async () => {
    const server = await serve((_req, res) => res.end());
    const { url } = server;
    await server.close();
    servers.pop();
    await expect(new SandboxCaller(allowLocal).call(get(url))).rejects.toThrow(
      /could not reach the sandbox at 127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
  });

  it('cuts large bodies at the cap and flags them', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(`[${'"x",'.repeat(500_000)}"x"]`);
    });
    const caller = new SandboxCaller({ ...allowLocal, maxResponseBytes: 1024 });
    const response = await caller.call(get(server.url));
    expect(response.truncated).toBe(true);
    expect(response.size).toBe(1024);
    // Truncated JSON is returned as text rather than failing to parse.
    expect(response.bodyEncoding).toBe('text');
    expect((response.body as string).length).toBe(1024);
  });

  it('applies the cap after decompression, so a gzip bomb stays small', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 'a'));
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        'content-encoding': 'gzip',
      });
      res.end(bomb);
    });
    const caller = new SandboxCaller({ ...allowLocal, maxResponseBytes: 4096 });
    const response = await caller.call(get(server.url));
    expect(response).toMatchObject({ truncated: true, size: 4096 });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe('a'.repeat(4096));
  });

  it('decodes gzip bodies within the cap', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      res.end(gzipSync('{"zipped":1}'));
    });
    const response = await new SandboxCaller(allowLocal).call(get(server.url));
    expect(response.body).toEqual({ zipped: 1 });
  });

  it('returns binary bodies as base64 and empty ones as null', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/empty') {
        res.statusCode = 204;
        res.end();
        return;
      }
      res.setHeader('content-type', 'image/png');
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
    });
    const caller = new SandboxCaller(allowLocal);
    await expect(caller.call(get(server.url))).resolves.toMatchObject({
      body: 'iVBORwD/',
      bodyEncoding: 'base64',
    });
    await expect(caller.call(get(server.url, '/empty'))).resolves.toMatchObject(
      {
        statusCode: 204,
        body: null,
        bodyEncoding: 'none',
      },
    );
  });

  it('does not follow a redirect to another host', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://evil.example/steal' });
      res.end();
    });
    const response = await new SandboxCaller(allowLocal).call(get(server.url));
    expect(response).toMatchObject({
      statusCode: 302,
      blockedRedirect: 'http://evil.example/steal',
      redirects: [],
    });
    expect(server.requests).toHaveLength(1);
  });

  it('does not follow a redirect to another port or scheme of the same host', async () => {
    const other = await serve((_req, res) => res.end('other'));
    const server = await serve((req, res) => {
      const location =
        req.url === '/port'
          ? `${other.url}/x`
          : `https://127.0.0.1:${(req.socket.address() as AddressInfo).port}/x`;
      res.writeHead(307, { location });
      res.end();
    });
    const caller = new SandboxCaller({ allowPrivate: ['127.0.0.1'] });
    await expect(caller.call(get(server.url, '/port'))).resolves.toMatchObject({
      statusCode: 307,
      blockedRedirect: `${other.url}/x`,
    });
    await expect(
      caller.call(get(server.url, '/scheme')),
    ).resolves.toMatchObject({
      statusCode: 307,
    });
    expect(other.requests).toHaveLength(0);
  });

  it('follows up to three same-origin redirects', async () => {
    const server = await serve((req, res) => {
      const n = Number(req.url!.slice(1));
      if (req.url === '/final') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method }));
        return;
      }
      res.writeHead(n === 2 ? 303 : 301, {
        location: n === 2 ? '/final' : `/${n + 1}`,
      });
      res.end();
    });
    const caller = new SandboxCaller(allowLocal);
    const response = await caller.call(
      buildTarget({
        baseUrl: server.url,
        method: 'POST',
        pathTemplate: '/0',
        body: { a: 1 },
      }),
    );
    expect(response.statusCode).toBe(200);
    // 303 (and 301/302 after POST) turn the request into a GET without a body.
    expect(response.body).toEqual({ method: 'GET' });
    expect(response.redirects).toEqual([
      `${server.url}/1`,
      `${server.url}/2`,
      `${server.url}/final`,
    ]);
    expect(server.requests.map(r => r.body)).toEqual(['{"a":1}', '', '', '']);
  });

  it('stops after the redirect limit, and follows none when the limit is 0', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    });
    const three = await new SandboxCaller(allowLocal).call(get(server.url));
    expect(three).toMatchObject({ statusCode: 302, blockedRedirect: '/loop' });
    expect(three.redirects).toHaveLength(3);
    expect(server.requests).toHaveLength(4);
    const none = await new SandboxCaller({
      ...allowLocal,
      maxRedirects: 0,
    }).call(get(server.url));
    expect(none.redirects).toEqual([]);
    expect(server.requests).toHaveLength(5);
  });

  it('can be cancelled by the caller', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const pending = new SandboxCaller(allowLocal).call(get(server.url), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow('the sandbox call was cancelled');
  });
});

describe('toCurl', () => {
  it('renders a copyable, shell-escaped command with credentials redacted', () => {
    const request = buildTarget({
      baseUrl: 'https://sandbox.example.com/v1',
      method: 'POST',
      pathTemplate: '/notes/{id}',
      pathParams: { id: "it's" },
      query: { q: '$(rm -rf /)' },
      headers: { 'X-Note': "a'b `id` $HOME" },
      trustedHeaders: { 'X-API-Key': 'sk_live_secret' },
      body: { text: "O'Reilly; echo pwned" },
    });
    const curl = toCurl(request);
    expect(curl).toBe(
      [
        'curl --request POST',
        "--url 'https://sandbox.example.com/v1/notes/it%27s?q=%24%28rm%20-rf%20%2F%29'",
        `--header 'x-note: a'\\''b \`id\` $HOME'`,
        "--header 'x-api-key: <redacted>'",
        "--header 'content-type: application/json'",
        `--data-raw '{"text":"O'\\''Reilly; echo pwned"}'`,
      ].join(' \\\n  '),
    );
    expect(curl).not.toContain('sk_live_secret');
    expect(
      toCurl(request, { redactHeaders: [] }).includes('sk_live_secret'),
    ).toBe(true);
  });

  it('uses --head for HEAD and quotes any string', () => {
    expect(
      toCurl({ method: 'HEAD', url: 'http://a.example/', headers: {} }),
    ).toBe("curl --head \\\n  --url 'http://a.example/'");
    expect(shellQuote("'; rm -rf / #")).toBe(`''\\''; rm -rf / #'`);
  });
});
