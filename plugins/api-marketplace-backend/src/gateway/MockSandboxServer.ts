import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { verifyGatewaySignature } from '@portico/plugin-api-marketplace-node';
import { MockSandbox, MockSandboxResponse } from '../sandbox';

const MAX_BODY_BYTES = 1024 * 1024;
const SKIPPED_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'authorization',
  'x-api-key',
  'forwarded',
]);

function problem(status: number, title: string, detail: string) {
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/problem+json',
      'x-portico-sandbox': 'error',
    },
    body: {
      type: 'urn:portico:sandbox:invalid-request',
      title,
      status,
      detail,
    },
  } satisfies MockSandboxResponse;
}

function send(res: ServerResponse, response: MockSandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let body: Buffer | undefined;
  if (response.body !== null && response.body !== undefined) {
    if (typeof response.body === 'string') {
      body = Buffer.from(response.body);
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      body = Buffer.from(JSON.stringify(response.body));
      headers['content-type'] ??= 'application/json';
    }
  }
  headers['content-length'] = String(body?.length ?? 0);
  res.writeHead(response.statusCode, headers);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The built-in Prism mock on a loopback port: the gateway proxies sandbox
 * calls of products without their own `sandboxUrl` here, exactly as it
 * proxies to any other upstream. It answers only requests signed by the
 * gateway (`X-Portico-Signature`), so nothing else on the host can use it,
 * and keeps create-then-get state per key id.
 */
export class MockSandboxServer {
  private constructor(
    private readonly server: http.Server,
    /** `http://127.0.0.1:{port}`; a product's mock is under `/{productId}`. */
    readonly baseUrl: string,
  ) {}

  static async start(options: {
    sandbox: MockSandbox;
    signingSecret: string;
    logger: Pick<LoggerService, 'error'>;
  }): Promise<MockSandboxServer> {
    const { sandbox, signingSecret, logger } = options;
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const target = req.url ?? '/';
      const signed = verifyGatewaySignature({
        secret: signingSecret,
        headers: req.headers,
        method: req.method ?? 'GET',
        path: target,
      });
      if (!signed.ok) {
        send(
          res,
          problem(
            403,
            'Not through the gateway',
            'Call the sandbox through the Portico gateway.',
          ),
        );
        return;
      }
      const url = new URL(target, 'http://mock');
      const [, productId = '', ...rest] = url.pathname.split('/');
      const query: Record<string, string | string[]> = {};
      for (const name of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(name);
        query[name] = values.length === 1 ? values[0] : values;
      }
      const headers: Record<string, string | string[] | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!SKIPPED_HEADERS.has(name) && !name.startsWith('x-portico-')) {
          headers[name] = value;
        }
      }
      const body = await readBody(req);
      if (body === undefined) {
        send(
          res,
          problem(
            413,
            'Request body too large',
            `The sandbox accepts at most ${MAX_BODY_BYTES} bytes.`,
          ),
        );
        return;
      }
      try {
        send(
          res,
          await sandbox.handle({
            productId: decodeURIComponent(productId),
            method: req.method ?? 'GET',
            path: `/${rest.join('/')}`,
            query,
            headers,
            body: body === '' ? undefined : body,
            stateKey: signed.keyId,
          }),
        );
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'InputError' || name === 'NotFoundError') {
          send(
            res,
            problem(
              name === 'InputError' ? 400 : 404,
              name === 'InputError' ? 'Invalid sandbox request' : 'Not found',
              (error as Error).message,
            ),
          );
          return;
        }
        throw error;
      }
    };
    const server = http.createServer((req, res) => {
      handle(req, res).catch(error => {
        logger.error(`Mock sandbox failed: ${error}`);
        if (res.headersSent) res.destroy();
        else
          send(
            res,
            problem(
              500,
              'Mock sandbox failed',
              'The built-in mock could not answer.',
            ),
          );
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    const { port } = server.address() as AddressInfo;
    return new MockSandboxServer(server, `http://127.0.0.1:${port}`);
  }

  /** The mock's base URL for one product. */
  urlFor(productId: string): string {
    return `${this.baseUrl}/${encodeURIComponent(productId)}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}
