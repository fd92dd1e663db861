import {
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
} from 'node:http';
import { AddressInfo } from 'node:net';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  FailoverRateLimiter,
  GatewayHandler,
  InMemoryRateLimiter,
  KeyLookup,
  KeyVerifier,
  RedisRateLimiter,
  RedisRevocationBus,
  RedisUsageStore,
  UsageMeter,
  createGatewayHandler,
  createGatewayRedis,
  waitForRedis,
} from '@portico/plugin-api-marketplace-node';
import {
  DatabaseKeyLookup,
  KeyStore,
  LastUsedRecorder,
  MockSandboxServer,
  recordingLastUse,
} from '@portico/plugin-api-marketplace-backend';
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { createAuthRequestHandler } from './authRequest';
import { startBuiltInSandbox } from './builtInSandbox';
import type { GatewaySettings } from './config';
import { sendJson, sendProblem } from './http';
import { RemoteProductDirectory } from './ProductDirectory';

/** Path prefixes of partner traffic: the standalone one and the backend mount's. */
export const GATEWAY_PREFIXES = ['/gateway', '/api/api-marketplace/gateway'];
/** NGINX `auth_request` endpoint, also under the backend's verify path. */
export const AUTH_REQUEST_PATHS = [
  '/auth-request',
  '/api/api-marketplace/v1/verify/auth-request',
];

export interface GatewayOptions {
  settings: GatewaySettings;
  logger: LoggerService;
  /** The marketplace database (the backend's `api-marketplace` plugin database). */
  database: Knex;
  /** Default: keys from `database` with pricing from the product directory. */
  keyLookup?: KeyLookup;
  /** Meter flush period. Default 100 ms. */
  meterFlushIntervalMs?: number;
  /** How often `last_used_at` of keys in use is written. Default 60 s. */
  lastUsedFlushIntervalMs?: number;
}

export interface ShutdownReport {
  reason: string;
  /** Calls in flight when draining began that finished normally. */
  drained: number;
  /** Calls still in flight at the drain deadline, whose connections were cut. */
  forced: number;
  /** Gateway and auth_request calls handled over the process lifetime. */
  served: number;
  /** Meter rows (partner × product × environment × minute) not yet in Redis when the meter closed. */
  meterRowsAtClose: number;
  /** Rows that could not be written (Redis unreachable): those calls' status and latency are lost. */
  unflushedRows: number;
  durationMs: number;
}

export interface Gateway {
  readonly server: Server;
  readonly products: RemoteProductDirectory;
  readonly meter: UsageMeter;
  readonly redis: Redis;
  /** Starts the product directory and the listener. */
  start(): Promise<{ port: number; url: string }>;
  /** Stops accepting, drains, flushes the meter, closes connections. Idempotent. */
  shutdown(reason: string): Promise<ShutdownReport>;
  readonly stats: { active: number; served: number; draining: boolean };
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The client address for IP allow lists. Each of the `trustedProxies`
 * reverse proxies in front appends the address it received the call from to
 * `X-Forwarded-For`, so the client is that many entries from the right;
 * entries further left were sent by the client and are not trusted.
 */
export function clientAddressOf(
  trustedProxies: number,
): (req: IncomingMessage) => string | undefined {
  if (trustedProxies <= 0) return req => req.socket.remoteAddress;
  return req => {
    const header = req.headers['x-forwarded-for'];
    const entries = (Array.isArray(header) ? header.join(',') : header ?? '')
      .split(',')
      .map(entry => entry.trim())
      .filter(Boolean);
    if (entries.length < trustedProxies) return req.socket.remoteAddress;
    return entries[entries.length - trustedProxies];
  };
}

/**
 * The standalone data plane: partner traffic under `/gateway/{product}/…`
 * (and the backend mount's `/api/api-marketplace/gateway/…`), NGINX
 * `auth_request` verification, `/healthz` and `/readyz`. Every replica
 * shares Redis (limits, quotas, meter, revocations) and the marketplace
 * database (keys); products come from the backend's REST API.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { settings, logger } = options;
  const prefix = settings.redis.prefix;
  const redis = createGatewayRedis(settings.redis.url);
  redis.on('error', () => {
    // Reconnects on its own; the limiter and meter log the outage once.
  });
  const subscriber = new Redis(settings.redis.url, {
    // Pub/sub only: reconnect forever, never give up on the channel.
    maxRetriesPerRequest: null,
    retryStrategy: times => Math.min(times * 100, 2000),
  });
  subscriber.on('error', () => {});
  const bus = new RedisRevocationBus(redis, subscriber, prefix);

  // The built-in mock, started by start() before the product list points at it.
  let mock: MockSandboxServer | undefined;
  const products = new RemoteProductDirectory({
    backendBaseUrl: settings.backendBaseUrl,
    token: settings.backendToken,
    refreshMs: settings.productRefreshMs,
    logger: logger.child({ component: 'products' }),
    sandboxUrlFor: productId =>
      settings.sandboxFallbackUrl?.replace('{productId}', productId) ??
      mock?.urlFor(productId),
    redis: { client: redis, key: `${prefix}gateway:products` },
  });
  const keyVerifier = new KeyVerifier({
    lookup:
      options.keyLookup ?? new DatabaseKeyLookup(options.database, products),
    bus,
  });
  const lastUsed = new LastUsedRecorder(
    new KeyStore(options.database),
    logger,
    options.lastUsedFlushIntervalMs,
  );
  const verifier = recordingLastUse(keyVerifier, lastUsed);
  const limiter = new FailoverRateLimiter(
    new RedisRateLimiter(redis, {
      prefix,
      lease: { ms: settings.redis.leaseMs },
    }),
    new InMemoryRateLimiter(),
    { logger },
  );
  const meter = new UsageMeter({
    sink: new RedisUsageStore(redis, { prefix }),
    logger,
    flushIntervalMs: options.meterFlushIntervalMs,
  });
  const clientIp = clientAddressOf(settings.trustedProxies);
  const handler: GatewayHandler = createGatewayHandler({
    verifier,
    limiter,
    meter,
    products,
    signingSecret: settings.signingSecret,
    environment: settings.environment,
    clientIp,
    timeouts: settings.upstreamTimeouts,
    logger,
  });
  const authRequest = createAuthRequestHandler({
    verifier,
    limiter,
    meter,
    products,
    signingSecret: settings.signingSecret,
    environment: settings.environment,
    clientIp,
    logger,
  });

  let active = 0;
  let served = 0;
  let draining = false;
  let started = false;
  /** Responses in flight, to stop keep-alive on them when draining. */
  const inflight = new Set<ServerResponse>();

  function track(
    res: ServerResponse,
    serve: (req: IncomingMessage, res: ServerResponse) => void,
    req: IncomingMessage,
  ) {
    active++;
    served++;
    inflight.add(res);
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      active--;
      inflight.delete(res);
    });
    serve(req, res);
  }

  function readiness() {
    let status = 'ready';
    if (draining) status = 'draining';
    else if (!products.ready) status = 'starting';
    return {
      status,
      products: products.size,
      productsLoadedAt: products.loadedAt
        ? new Date(products.loadedAt).toISOString()
        : undefined,
      redis: redis.status,
      limiter: limiter.isDegraded ? 'single-instance' : 'shared',
      active,
    };
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    for (const base of GATEWAY_PREFIXES) {
      if (url.startsWith(base) && url.charCodeAt(base.length) === 47 /* / */) {
        req.url = url.slice(base.length);
        track(res, handler, req);
        return;
      }
    }
    const path = url.split('?', 1)[0];
    if (AUTH_REQUEST_PATHS.includes(path)) {
      track(res, authRequest, req);
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (path === '/readyz') {
      const body = readiness();
      sendJson(res, body.status === 'ready' ? 200 : 503, body);
      return;
    }
    sendProblem(res, 'unknown_product');
  });
  // Longer than the usual 60 s idle timeout of load balancers in front.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let shutdownPromise: Promise<ShutdownReport> | undefined;

  async function drain(reason: string): Promise<ShutdownReport> {
    const began = Date.now();
    draining = true;
    for (const res of inflight) {
      if (!res.headersSent) res.shouldKeepAlive = false;
    }
    logger.info('Gateway draining', {
      reason,
      active,
      delayMs: settings.shutdownDelayMs,
      timeoutMs: settings.shutdownTimeoutMs,
    });
    if (settings.shutdownDelayMs > 0) await sleep(settings.shutdownDelayMs);

    const closed = started
      ? new Promise<void>(resolve => server.close(() => resolve()))
      : Promise.resolve();
    const activeAtClose = active;
    const deadline = Date.now() + settings.shutdownTimeoutMs;
    while (active > 0 && Date.now() < deadline) {
      server.closeIdleConnections();
      await sleep(20);
    }
    const forced = active;
    if (forced > 0) {
      logger.warn('Gateway drain deadline reached; cutting connections', {
        forced,
      });
    }
    server.closeAllConnections();
    await closed;
    // Cut calls are metered (as 499) when their exchange closes.
    await sleep(0);

    // Upstream pools: cut calls abort their upstream request; bounded anyway.
    await Promise.race([handler.close(), sleep(5_000)]);
    const meterRowsAtClose = meter.stats.bufferedRows;
    const { unflushedRows } = await meter.close();
    await lastUsed.close();
    await mock?.close();
    keyVerifier.close();
    products.stop();
    await bus.close().catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
    const report: ShutdownReport = {
      reason,
      drained: Math.max(0, activeAtClose - forced),
      forced,
      served,
      meterRowsAtClose,
      unflushedRows,
      durationMs: Date.now() - began,
    };
    logger.info('Gateway stopped', { ...report });
    return report;
  }

  return {
    server,
    products,
    meter,
    redis,
    get stats() {
      return { active, served, draining };
    },
    async start() {
      try {
        await waitForRedis(redis, 5_000);
      } catch (error) {
        logger.warn(
          `Redis is not reachable yet; limits fall back to this instance and metering is buffered until it is: ${error}`,
        );
      }
      await bus.ready().catch(() => {});
      if (
        !settings.sandboxFallbackUrl &&
        settings.environment !== 'production'
      ) {
        mock = await startBuiltInSandbox({
          products,
          database: options.database,
          signingSecret: settings.signingSecret,
          logger: logger.child({ component: 'sandbox' }),
        });
      }
      await products.start();
      if (shutdownPromise) throw new Error('Gateway shut down while starting');
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(settings.listen.port, settings.listen.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      started = true;
      const { port } = server.address() as AddressInfo;
      const host =
        settings.listen.host === '0.0.0.0' ? '127.0.0.1' : settings.listen.host;
      const url = `http://${host}:${port}`;
      logger.info('Gateway listening', {
        port,
        host: settings.listen.host,
        products: products.size,
        ready: products.ready,
      });
      return { port, url };
    },
    shutdown(reason: string) {
      shutdownPromise ??= drain(reason);
      return shutdownPromise;
    },
  };
}
