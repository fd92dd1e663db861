import {
  AddressInfo,
  Server,
  Socket,
  createConnection,
  createServer,
} from 'node:net';

/**
 * A real TCP hop between a client and Redis that tests can cut: `down()`
 * refuses connections (Redis unreachable), `blackhole()` lets commands reach
 * Redis but drops its replies (a lost acknowledgement), `up()` restores.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private dropReplies = false;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(targetUrl: string): Promise<TcpProxy> {
    const url = new URL(targetUrl);
    const proxy = new TcpProxy(url.hostname, Number(url.port || 6379), 0);
    await proxy.up();
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.dropReplies = false;
    if (this.server) return;
    const server = createServer(client => {
      const upstream = createConnection(this.targetPort, this.targetHost);
      this.sockets.add(client);
      this.sockets.add(upstream);
      client.on('data', chunk => upstream.write(chunk));
      upstream.on('data', chunk => {
        if (!this.dropReplies) client.write(chunk);
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Cuts every connection and refuses new ones. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise(resolve => server.close(resolve));
  }

  /** Commands still reach Redis; replies are lost. */
  blackhole(): void {
    this.dropReplies = true;
  }

  /** Drops live connections (clients reconnect), keeps listening. */
  reset(): void {
    this.dropReplies = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
