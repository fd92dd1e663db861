import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import knexFactory from 'knex';
import { loadGatewayConfig, readGatewaySettings, secretsOf } from './config';
import { openGatewayDatabase } from './database';
import { recordingLogger } from './__testUtils__/gateways';

jest.setTimeout(60_000);

const pgUrl = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

const base = {
  backend: {
    baseUrl: 'http://backend.internal:7007',
    auth: {
      externalAccess: [
        {
          type: 'static',
          options: { token: 'other-token-0123456789', subject: 'ci-bot' },
        },
        {
          type: 'static',
          options: {
            token: 'gateway-token-0123456789',
            subject: 'portico-gateway',
          },
        },
      ],
    },
  },
  apiMarketplace: {
    redis: { connection: 'redis://:hunter2-password@redis:6379/0' },
    gateway: { signingSecret: 'a-signing-secret-of-32-characters' },
  },
};

function settingsFrom(patch: (config: any) => void) {
  const data = structuredClone(base) as any;
  patch(data);
  return () => readGatewaySettings(new ConfigReader(data));
}

describe('gateway config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-gateway-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the same app-config files as the backend, with ${VAR} substitution', async () => {
    writeFileSync(
      join(dir, 'app-config.yaml'),
      `
backend:
  baseUrl: http://localhost:7007
  auth:
    externalAccess:
      - type: static
        options:
          token: \${PORTICO_TEST_GATEWAY_TOKEN}
          subject: portico-gateway
apiMarketplace:
  redis:
    connection: redis://127.0.0.1:6379
  gateway:
    signingSecret: \${PORTICO_TEST_SIGNING_SECRET}
`,
    );
    writeFileSync(
      join(dir, 'app-config.gateway.yaml'),
      `
apiMarketplace:
  redis:
    prefix: 'tenant-a:'
  gateway:
    listen:
      port: 9100
    backendBaseUrl: http://backend.internal:7007/
    environment: production
    trustedProxies: 1
    shutdownTimeoutSeconds: 10
    upstreamTimeouts:
      headersMs: 5000
`,
    );
    process.env.PORTICO_TEST_GATEWAY_TOKEN = 'token-from-the-environment';
    process.env.PORTICO_TEST_SIGNING_SECRET = 'secret-from-the-environment';
    try {
      const config = await loadGatewayConfig({
        argv: [
          'node',
          'gateway',
          '--config',
          join(dir, 'app-config.yaml'),
          '--config',
          join(dir, 'app-config.gateway.yaml'),
        ],
      });
      expect(readGatewaySettings(config)).toEqual({
        listen: { port: 9100, host: '0.0.0.0' },
        signingSecret: 'secret-from-the-environment',
        backendBaseUrl: 'http://backend.internal:7007',
        backendToken: 'token-from-the-environment',
        productRefreshMs: 30_000,
        environment: 'production',
        sandboxFallbackUrl: undefined,
        trustedProxies: 1,
        shutdownDelayMs: 0,
        shutdownTimeoutMs: 10_000,
        upstreamTimeouts: { headersMs: 5000 },
        redis: { url: 'redis://127.0.0.1:6379', prefix: 'tenant-a:' },
      });
    } finally {
      delete process.env.PORTICO_TEST_GATEWAY_TOKEN;
      delete process.env.PORTICO_TEST_SIGNING_SECRET;
    }
  });

  it('takes the backend token of the portico-gateway externalAccess entry unless one is set', () => {
    expect(settingsFrom(() => {})().backendToken).toBe(
      'gateway-token-0123456789',
    );
    expect(
      settingsFrom(c => {
        c.apiMarketplace.gateway.backendToken = 'explicit-token-0123456789';
      })().backendToken,
    ).toBe('explicit-token-0123456789');
    expect(
      settingsFrom(c => {
        c.apiMarketplace.gateway.backendTokenSubject = 'ci-bot';
      })().backendToken,
    ).toBe('other-token-0123456789');
  });

  it('reads how long rate-limit leases last, 0 for none', () => {
    expect(settingsFrom(() => {})().redis.leaseMs).toBeUndefined();
    expect(
      settingsFrom(c => (c.apiMarketplace.redis.rateLimitLeaseMs = 0))().redis
        .leaseMs,
    ).toBe(0);
    expect(
      settingsFrom(c => (c.apiMarketplace.redis.rateLimitLeaseMs = -5)),
    ).toThrow('apiMarketplace.redis.rateLimitLeaseMs must be >= 0');
  });

  it('names the key that is missing or wrong', () => {
    expect(
      settingsFrom(c => delete c.apiMarketplace.gateway.signingSecret),
    ).toThrow("'apiMarketplace.gateway.signingSecret'");
    expect(
      settingsFrom(c => (c.apiMarketplace.gateway.signingSecret = 'short')),
    ).toThrow('apiMarketplace.gateway.signingSecret must be at least 16');
    expect(settingsFrom(c => delete c.apiMarketplace.redis)).toThrow(
      "'apiMarketplace.redis.connection'",
    );
    expect(
      settingsFrom(c => (c.apiMarketplace.redis.connection = 'localhost:6379')),
    ).toThrow('apiMarketplace.redis.connection must be a redis://');
    expect(settingsFrom(c => (c.backend.auth.externalAccess = []))).toThrow(
      "'apiMarketplace.gateway.backendToken'",
    );
    expect(
      settingsFrom(c => (c.apiMarketplace.gateway.environment = 'staging')),
    ).toThrow("apiMarketplace.gateway.environment must be 'production'");
    expect(
      settingsFrom(c => (c.apiMarketplace.gateway.listen = { port: 70000 })),
    ).toThrow('apiMarketplace.gateway.listen.port');
    expect(
      settingsFrom(c => (c.apiMarketplace.gateway.trustedProxies = -1)),
    ).toThrow('apiMarketplace.gateway.trustedProxies');
    expect(
      settingsFrom(c => (c.apiMarketplace.gateway.backendBaseUrl = 'backend')),
    ).toThrow('apiMarketplace.gateway.backendBaseUrl must be an absolute');
  });

  it('lists the secrets to redact from logs, the Redis password included', () => {
    expect(secretsOf(settingsFrom(() => {})())).toEqual([
      'a-signing-secret-of-32-characters',
      'gateway-token-0123456789',
      'hunter2-password',
    ]);
  });
});

describe('gateway database', () => {
  if (!pgUrl) {
    // Fails the suite: the database tests never skip.
    throw new Error(
      'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set; gateway tests need PostgreSQL',
    );
  }
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  const tag = `gwtest_${randomBytes(4).toString('hex')}_`;
  afterAll(async () => {
    await admin.raw('drop database if exists ??', [`${tag}api-marketplace`]);
    await admin.raw('drop schema if exists ?? cascade', [
      `${tag}api-marketplace`,
    ]);
    await admin.destroy();
  });

  it('opens the api-marketplace plugin database by Backstage naming rules', async () => {
    const database = await openGatewayDatabase(
      new ConfigReader({
        backend: {
          database: { client: 'pg', connection: pgUrl, prefix: tag },
        },
      }),
      recordingLogger(),
    );
    try {
      expect(database.description).toBe(
        `pg database '${tag}api-marketplace' schema 'public'`,
      );
    } finally {
      await database.close();
    }
  });

  it('opens the api-marketplace schema under pluginDivisionMode: schema', async () => {
    const database = await openGatewayDatabase(
      new ConfigReader({
        backend: {
          database: {
            client: 'pg',
            connection: pgUrl,
            pluginDivisionMode: 'schema',
            schemaPrefix: tag,
          },
        },
      }),
      recordingLogger(),
    );
    try {
      expect(database.description).toMatch(
        new RegExp(`schema '${tag}api-marketplace'$`),
      );
    } finally {
      await database.close();
    }
  });

  it('takes apiMarketplace.gateway.database over backend.database', async () => {
    const database = await openGatewayDatabase(
      new ConfigReader({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        apiMarketplace: {
          gateway: { database: { client: 'pg', connection: pgUrl } },
        },
      }),
      recordingLogger(),
    );
    try {
      expect(database.description).toMatch(
        /^pg database '.+' schema 'public'$/,
      );
    } finally {
      await database.close();
    }
  });

  it('refuses the embedded in-memory SQLite, which no other process can read', async () => {
    await expect(
      openGatewayDatabase(
        new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        }),
        recordingLogger(),
      ),
    ).rejects.toThrow('in-memory SQLite');
  });
});
