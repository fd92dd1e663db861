export interface Config {
  apiMarketplace?: {
    /** The Redis shared by every gateway replica and the backend. */
    redis?: {
      /**
       * Connection URL, e.g. `redis://:password@redis:6379/0` or
       * `rediss://…` for TLS. Required by the standalone gateway.
       * @visibility secret
       */
      connection?: string;
      /**
       * Prefix of every key and channel; must be the same for the backend
       * and every gateway replica.
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
    /** The standalone gateway process (`packages/gateway`). */
    gateway?: {
      listen?: {
        /** @defaultValue 7008 */
        port?: number;
        /** @defaultValue 0.0.0.0 */
        host?: string;
      };
      /**
       * HMAC key of the `X-Portico-Signature` header, shared with the
       * upstreams (and with the backend's embedded gateway).
       * @visibility secret
       */
      signingSecret?: string;
      /**
       * Where the backend answers, for the product list.
       * @defaultValue the value of backend.baseUrl
       */
      backendBaseUrl?: string;
      /**
       * Static token the gateway presents to the backend: one of the
       * `backend.auth.externalAccess` static tokens. When unset, the token
       * of the static externalAccess entry whose subject is
       * `backendTokenSubject` is used.
       * @visibility secret
       */
      backendToken?: string;
      /**
       * Subject of the externalAccess entry to take the token from when
       * `backendToken` is unset.
       * @defaultValue portico-gateway
       */
      backendTokenSubject?: string;
      /**
       * How often the product list is re-read from the backend, in seconds.
       * On failure the last good list keeps serving.
       * @defaultValue 30
       */
      productRefreshSeconds?: number;
      /**
       * Serve only this environment's keys; by default both, production
       * keys to `baseUrl` and sandbox keys to `sandboxUrl`.
       */
      environment?: 'production' | 'sandbox';
      /**
       * Sandbox upstream of products that have no `sandboxUrl`, with
       * `{productId}` replaced; without it their sandbox keys are answered
       * by the built-in mock (as in the backend), from the spec the backend
       * recorded for the product.
       */
      sandboxFallbackUrl?: string;
      /**
       * How many reverse proxies (load balancers, NGINX) append to
       * `X-Forwarded-For` in front of the gateway: the client address for
       * IP allow lists is that many entries from the right. 0 uses the
       * socket address. Same meaning as for the backend's embedded gateway.
       * @defaultValue 0
       */
      trustedProxies?: number;
      /**
       * On SIGTERM/SIGINT: seconds to keep answering (with /readyz failing)
       * before the listener closes, so load balancers stop sending traffic.
       * @defaultValue 0
       */
      shutdownDelaySeconds?: number;
      /**
       * On SIGTERM/SIGINT: longest wait for in-flight calls to finish, in
       * seconds; then their connections are cut.
       * @defaultValue 25
       */
      shutdownTimeoutSeconds?: number;
      /**
       * Upstream timeouts in milliseconds.
       */
      upstreamTimeouts?: {
        /** @defaultValue 2000 */
        connectMs?: number;
        /** @defaultValue 30000 */
        headersMs?: number;
        /** @defaultValue 30000 */
        bodyMs?: number;
      };
      /**
       * The marketplace database, when it cannot be derived from
       * `backend.database` (the plugin database `api-marketplace`, named by
       * Backstage's convention: `backstage_plugin_api-marketplace`, or the
       * `api-marketplace` schema under `pluginDivisionMode: schema`).
       */
      database?: {
        /** @defaultValue pg */
        client?: string;
        /**
         * A connection string or knex connection object.
         * @visibility secret
         */
        connection?: string | object;
      };
    };
  };
}
