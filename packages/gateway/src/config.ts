import { Config } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import {
  DEFAULT_KEY_PREFIX,
  KeyEnvironment,
  UpstreamTimeouts,
  readRateLimitLeaseMs,
} from '@portico/plugin-api-marketplace-node';

/** Everything the gateway reads from `apiMarketplace.*`, validated. */
export interface GatewaySettings {
  listen: { port: number; host: string };
  signingSecret: string;
  /** Without a trailing slash. */
  backendBaseUrl: string;
  backendToken: string;
  productRefreshMs: number;
  environment?: KeyEnvironment;
  /** With `{productId}` to replace. */
  sandboxFallbackUrl?: string;
  /** Reverse proxies in front that append to X-Forwarded-For. */
  trustedProxies: number;
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
  upstreamTimeouts: Partial<UpstreamTimeouts>;
  /** `leaseMs`: rate-limit leases of busy keys; undefined: the limiter's default. */
  redis: { url: string; prefix: string; leaseMs?: number };
}

export const DEFAULT_GATEWAY_PORT = 7008;

/**
 * Loads the same config files the backend reads: `--config` arguments, else
 * `app-config.yaml` (+ `app-config.local.yaml`) of the repository root, plus
 * `APP_CONFIG_*` environment variables; `${VAR}` substitution included.
 */
export async function loadGatewayConfig(
  options: { argv?: string[]; rootDir?: string } = {},
): Promise<Config> {
  const source = ConfigSources.default({
    argv: options.argv ?? process.argv,
    rootDir: options.rootDir,
  });
  return ConfigSources.toConfig(source);
}

function httpUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${key} must be an absolute http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${key} must be an absolute http(s) URL, got '${value}'`);
  }
  return value.replace(/\/+$/, '');
}

function seconds(
  config: Config,
  key: string,
  fallback: number,
  min = 0,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${key} must be a number of seconds >= ${min}`);
  }
  return value * 1000;
}

/**
 * The token the gateway presents to the backend: `backendToken`, or the
 * static `backend.auth.externalAccess` token whose subject is
 * `backendTokenSubject` (the production config declares one for
 * `portico-gateway`), so the secret is configured once.
 */
function backendToken(config: Config): string {
  const explicit = config.getOptionalString(
    'apiMarketplace.gateway.backendToken',
  );
  if (explicit) return explicit;
  const subject =
    config.getOptionalString('apiMarketplace.gateway.backendTokenSubject') ??
    'portico-gateway';
  const entries =
    config.getOptionalConfigArray('backend.auth.externalAccess') ?? [];
  for (const entry of entries) {
    if (
      entry.getOptionalString('type') === 'static' &&
      entry.getOptionalString('options.subject') === subject
    ) {
      const token = entry.getOptionalString('options.token');
      if (token) return token;
    }
  }
  throw new Error(
    `Missing required config value at 'apiMarketplace.gateway.backendToken' ` +
      `(and no static backend.auth.externalAccess entry with subject '${subject}')`,
  );
}

function trustedProxies(config: Config, key: string): number {
  const value = config.getOptionalNumber(key) ?? 0;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${key} must be a whole number >= 0, got ${value}`);
  }
  return value;
}

/** Reads and checks the gateway's settings; errors name the config key. */
export function readGatewaySettings(config: Config): GatewaySettings {
  const gw = 'apiMarketplace.gateway';
  const port =
    config.getOptionalNumber(`${gw}.listen.port`) ?? DEFAULT_GATEWAY_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${gw}.listen.port must be a port number, got ${port}`);
  }
  const environment = config.getOptionalString(`${gw}.environment`);
  if (
    environment !== undefined &&
    environment !== 'production' &&
    environment !== 'sandbox'
  ) {
    throw new Error(
      `${gw}.environment must be 'production' or 'sandbox', got '${environment}'`,
    );
  }
  const signingSecret = config.getString(`${gw}.signingSecret`);
  if (signingSecret.length < 16) {
    throw new Error(`${gw}.signingSecret must be at least 16 characters`);
  }
  const backendBaseUrl =
    config.getOptionalString(`${gw}.backendBaseUrl`) ??
    config.getOptionalString('backend.baseUrl');
  if (!backendBaseUrl) {
    throw new Error(
      `Missing required config value at '${gw}.backendBaseUrl' (or 'backend.baseUrl')`,
    );
  }
  const sandboxFallbackUrl = config.getOptionalString(
    `${gw}.sandboxFallbackUrl`,
  );
  if (sandboxFallbackUrl !== undefined) {
    httpUrl(
      sandboxFallbackUrl.replace('{productId}', 'x'),
      `${gw}.sandboxFallbackUrl`,
    );
  }
  const redisUrl = config.getString('apiMarketplace.redis.connection');
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new Error(
      `apiMarketplace.redis.connection must be a redis:// or rediss:// URL`,
    );
  }
  const leaseMs = readRateLimitLeaseMs(config);
  const timeouts = config.getOptionalConfig(`${gw}.upstreamTimeouts`);
  const upstreamTimeouts: Partial<UpstreamTimeouts> = {};
  for (const name of ['connectMs', 'headersMs', 'bodyMs'] as const) {
    const value = timeouts?.getOptionalNumber(name);
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`${gw}.upstreamTimeouts.${name} must be > 0`);
    }
    upstreamTimeouts[name] = value;
  }
  return {
    listen: {
      port,
      host: config.getOptionalString(`${gw}.listen.host`) ?? '0.0.0.0',
    },
    signingSecret,
    backendBaseUrl: httpUrl(backendBaseUrl, `${gw}.backendBaseUrl`),
    backendToken: backendToken(config),
    productRefreshMs: seconds(config, `${gw}.productRefreshSeconds`, 30, 1),
    environment: environment as KeyEnvironment | undefined,
    sandboxFallbackUrl,
    trustedProxies: trustedProxies(config, `${gw}.trustedProxies`),
    shutdownDelayMs: seconds(config, `${gw}.shutdownDelaySeconds`, 0),
    shutdownTimeoutMs: seconds(config, `${gw}.shutdownTimeoutSeconds`, 25),
    upstreamTimeouts,
    redis: {
      url: redisUrl,
      prefix:
        config.getOptionalString('apiMarketplace.redis.prefix') ??
        DEFAULT_KEY_PREFIX,
      leaseMs,
    },
  };
}

/** Values that must never appear in a log line. */
export function secretsOf(settings: GatewaySettings): string[] {
  const secrets = [settings.signingSecret, settings.backendToken];
  try {
    const password = decodeURIComponent(new URL(settings.redis.url).password);
    if (password) secrets.push(password);
  } catch {
    // not a parseable URL: nothing more to redact
  }
  return secrets;
}
