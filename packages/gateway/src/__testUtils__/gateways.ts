import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { GatewaySettings } from '../config';
import { Gateway, GatewayOptions, createGateway } from '../createGateway';
import { testRedisUrl } from '@portico/plugin-api-marketplace-node/testUtils';

export const TEST_TOKEN = 'test-gateway-token-0123456789';
export const TEST_SECRET = 'test-signing-secret-0123456789';

export function testSettings(
  overrides: Partial<GatewaySettings> & {
    backendBaseUrl: string;
    keyPrefix: string;
  },
): GatewaySettings {
  const { keyPrefix, ...rest } = overrides;
  return {
    listen: { port: 0, host: '127.0.0.1' },
    signingSecret: TEST_SECRET,
    backendToken: TEST_TOKEN,
    productRefreshMs: 60_000,
    trustedProxies: 0,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 5_000,
    upstreamTimeouts: {},
    redis: { url: testRedisUrl(), prefix: keyPrefix },
    ...rest,
  };
}

/** An in-process gateway, started; stopped by the returned `stop`. */
export async function startTestGateway(
  database: Knex,
  settings: GatewaySettings,
  options: Partial<GatewayOptions> = {},
): Promise<{ gateway: Gateway; url: string }> {
  const gateway = createGateway({
    settings,
    logger: recordingLogger(),
    database,
    ...options,
  });
  const { url } = await gateway.start();
  return { gateway, url };
}

/** A logger that keeps every line (children included), to check what is logged. */
export function recordingLogger(lines: string[] = []): LoggerService & {
  lines: string[];
} {
  const log =
    (level: string) =>
    (message: string, meta?: unknown): void => {
      lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
    };
  return {
    lines,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => recordingLogger(lines),
  };
}
