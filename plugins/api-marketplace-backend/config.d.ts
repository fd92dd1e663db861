export interface Config {
  /** Configuration of the Portico API marketplace backend plugin. */
  apiMarketplace?: {
    /**
     * How long the list of published products may be served from memory
     * before the catalog is read again, in milliseconds.
     * @defaultValue 5000
     */
    productCacheMs?: number;
    /**
     * How often the products are read from the catalog in the background,
     * so that every spec change is recorded in the history, in seconds.
     * @defaultValue 30
     */
    productSyncSeconds?: number;
    /** The data plane's shared store. */
    redis?: {
      /**
       * Redis URL (`redis://[:password@]host:6379/0`, `rediss://` for TLS)
       * shared by every backend replica and the standalone gateway: rate
       * limits, quotas, usage counters and key evictions. Absent: all of
       * them live in the backend process ("single-instance metering"), which
       * is right for the embedded default and one backend instance only.
       * @visibility secret
       */
      connection?: string;
      /**
       * Prefix of every key and channel, to share one Redis between
       * marketplaces; the same on every replica and the standalone gateway.
       * @defaultValue portico:
       */
      prefix?: string;
      /**
       * How long a replica may hold rate-limit admissions it leased ahead
       * for a busy key (plans of at least 1,000 calls/s without a monthly
       * quota), in milliseconds; 0 turns leases off, so every batch of calls
       * asks Redis. Never more than a plan allows either way.
       * @defaultValue 50
       */
      rateLimitLeaseMs?: number;
    };
    /** The gateway mounted at `/api/api-marketplace/gateway/{productId}/…`. */
    gateway?: {
      /**
       * HMAC-SHA256 key of the `X-Portico-Signature` header sent to
       * upstreams, which they verify to know a call came through Portico.
       * Use the same value on every replica and the standalone gateway.
       * Absent: a random one is generated at startup (logged as ephemeral),
       * so signatures change with every restart.
       * @visibility secret
       */
      signingSecret?: string;
      /**
       * How many reverse proxies in front of the backend append to
       * `X-Forwarded-For`; the client address for key IP allow lists is that
       * many entries from the right. 0 uses the socket's address.
       * @defaultValue 0
       */
      trustedProxies?: number;
    };
    /** Try-it (`POST /v1/sandbox/try`). */
    sandbox?: {
      /**
       * Hosts, IP addresses or CIDR ranges that products' own `sandboxUrl`s
       * may resolve to although they are not public (e.g. `localhost`,
       * `sandbox.internal`, `10.20.0.0/16`). Everything else private,
       * loopback, link-local or metadata is refused. The built-in mock needs
       * no entry.
       */
      allowPrivate?: string[];
    };
    /** Usage rollups: from the hot counters into the database. */
    usage?: {
      /**
       * How often closed usage buckets are rolled up into the database, in
       * seconds (task `api-marketplace-usage-rollup`).
       * @defaultValue 30
       */
      rollupSeconds?: number;
      /**
       * How long after a minute ends its bucket is rolled up, in seconds:
       * more than the longest call plus clock skew between replicas. Usage
       * reports read the live counters for this window (plus 10 minutes), so
       * it never delays what partners see.
       * @defaultValue 120
       */
      closeDelaySeconds?: number;
    };
  };
}
