import { Pool } from 'undici';

export interface UpstreamTimeouts {
  /** TCP/TLS connect. Default 2 s. */
  connectMs: number;
  /** Until the upstream's response headers. Default 30 s. */
  headersMs: number;
  /** Between two chunks of the response body. Default 30 s. */
  bodyMs: number;
}

export const DEFAULT_UPSTREAM_TIMEOUTS: UpstreamTimeouts = {
  connectMs: 2_000,
  headersMs: 30_000,
  bodyMs: 30_000,
};

/** A product's base URL, parsed once. */
export interface UpstreamTarget {
  pool: Pool;
  host: string;
  /** Without a trailing slash; empty for the origin root. */
  basePath: string;
}

/**
 * One keep-alive connection pool per upstream origin, shared by every product
 * and request that goes there; base URLs are parsed once.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly targets = new Map<string, UpstreamTarget>();

  constructor(
    private readonly options: {
      connectTimeoutMs: number;
      /** Per origin; default unlimited. */
      connections?: number;
    },
  ) {}

  target(baseUrl: string): UpstreamTarget {
    const known = this.targets.get(baseUrl);
    if (known) return known;
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`Upstream ${baseUrl} is not http(s)`);
    }
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, {
        connections: this.options.connections ?? null,
        connect: { timeout: this.options.connectTimeoutMs },
        keepAliveTimeout: 10_000,
      });
      this.pools.set(url.origin, pool);
    }
    const target = {
      pool,
      host: url.host,
      basePath: url.pathname.replace(/\/+$/, ''),
    };
    this.targets.set(baseUrl, target);
    return target;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.targets.clear();
    await Promise.all(pools.map(pool => pool.close()));
  }
}
