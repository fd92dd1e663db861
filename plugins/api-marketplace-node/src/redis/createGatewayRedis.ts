import { Redis, RedisOptions } from 'ioredis';

/** Options for the data-plane Redis client. */
export interface GatewayRedisOptions {
  /** A command slower than this fails, so the caller can fall back. Default 500 ms. */
  commandTimeoutMs?: number;
  /** Extra ioredis options, applied last. */
  redis?: RedisOptions;
}

/**
 * A Redis client tuned for the hot path: auto-pipelining merges the
 * concurrent limiter calls of one event-loop tick into one write, and with
 * the offline queue off a command fails at once while Redis is unreachable
 * instead of piling up (the limiter then falls back, the meter buffers).
 */
export function createGatewayRedis(
  url: string,
  options: GatewayRedisOptions = {},
): Redis {
  return new Redis(url, {
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    retryStrategy: times => Math.min(times * 100, 2000),
    ...options.redis,
  });
}

/** Resolves once the client is connected; rejects after `timeoutMs`. */
export function waitForRedis(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    function onReady() {
      clearTimeout(timer);
      resolve();
    }
    client.once('ready', onReady);
  });
}
