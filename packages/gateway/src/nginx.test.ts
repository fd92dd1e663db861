import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyGatewaySignature } from '@portico/plugin-api-marketplace-node';
import type { Knex } from 'knex';
import { request } from 'undici';
import {
  deleteTestKeys,
  eventually,
  testPrefix,
} from '@portico/plugin-api-marketplace-node/testUtils';
import { createPostgresDatabases } from './__testUtils__/env';
import {
  TEST_SECRET,
  TEST_TOKEN,
  startTestGateway,
  testSettings,
} from './__testUtils__/gateways';
import { migrateMarketplaceDatabase, seedPartner } from './__testUtils__/seed';
import { fakeBackend, recordingUpstream } from './__testUtils__/servers';
import type { Gateway } from './createGateway';

jest.setTimeout(60_000);

/**
 * examples/nginx/portico.conf run by a real NGINX in front of the gateway.
 * NGINX must be installed (Debian: `apt-get install -y nginx-light`); this
 * test fails without it, it never skips.
 */
const EXAMPLE = resolve(__dirname, '../../../examples/nginx/portico.conf');

function findNginx(): string {
  const candidates = [
    process.env.PORTICO_NGINX,
    '/usr/sbin/nginx',
    '/usr/local/sbin/nginx',
    '/usr/local/nginx/sbin/nginx',
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find(c => existsSync(c));
  if (!found) {
    throw new Error(
      'nginx is not installed: apt-get install -y nginx-light (or set PORTICO_NGINX); the NGINX example test cannot run without it',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise(done => server.close(done));
  return port;
}

const databases = createPostgresDatabases();
let knex: Knex;
let tracking: Awaited<ReturnType<typeof recordingUpstream>>;
let rates: Awaited<ReturnType<typeof recordingUpstream>>;
let backend: Awaited<ReturnType<typeof fakeBackend>>;
let gateway: Gateway;
let nginx: ChildProcess;
let dir: string;
let edge: string;

beforeAll(async () => {
  const binary = findNginx();
  knex = await databases.init('POSTGRES_15');
  await migrateMarketplaceDatabase(knex);
  tracking = await recordingUpstream();
  rates = await recordingUpstream();
  backend = await fakeBackend({
    token: TEST_TOKEN,
    products: [
      { id: 'tracking', baseUrl: tracking.url },
      { id: 'rates', baseUrl: rates.url },
    ],
  });
  const started = await startTestGateway(
    knex,
    testSettings({
      backendBaseUrl: backend.url,
      keyPrefix: testPrefix(),
      // NGINX appends the partner's address to X-Forwarded-For.
      trustedProxies: 1,
    }),
  );
  gateway = started.gateway;
  const gatewayPort = new URL(started.url).port;

  dir = mkdtempSync(join(tmpdir(), 'portico-nginx-'));
  chmodSync(dir, 0o755);
  const edgePort = await freePort();
  const replacements: Array<[string, string]> = [
    ['server 127.0.0.1:7008;', `server 127.0.0.1:${gatewayPort};`],
    ['server 127.0.0.1:8080;', `server ${new URL(tracking.url).host};`],
    ['server 127.0.0.1:8081;', `server ${new URL(rates.url).host};`],
    ['listen 8000;', `listen 127.0.0.1:${edgePort};`],
  ];
  let site = readFileSync(EXAMPLE, 'utf8');
  for (const [from, to] of replacements) {
    if (!site.includes(from)) {
      throw new Error(`${EXAMPLE} no longer contains '${from}'`);
    }
    site = site.replace(from, to);
  }
  writeFileSync(join(dir, 'portico.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/portico.conf;
}
`,
  );
  execFileSync(binary, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: 'pipe',
  });
  nginx = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: 'inherit',
  });
  edge = `http://127.0.0.1:${edgePort}`;
  await eventually(
    () =>
      request(`${edge}/nope/`).then(
        r => r.body.dump().then(() => true),
        () => false,
      ),
    10_000,
  );
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise(done => nginx.once('exit', done));
    nginx.kill('SIGQUIT');
    await exited;
  }
  await gateway?.shutdown('test');
  await tracking?.close();
  await rates?.close();
  await backend?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await deleteTestKeys();
});

async function call(path: string, headers: Record<string, string> = {}) {
  const response = await request(`${edge}${path}`, { headers });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    json: () => JSON.parse(text),
  };
}

describe('examples/nginx/portico.conf in a real NGINX', () => {
  it('forwards a valid call with the partner headers and without the key', async () => {
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    tracking.seen.length = 0;
    const ok = await call('/tracking/shipments/42?units=metric', {
      authorization: `Bearer ${partner.key}`,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['ratelimit-limit']).toBe('1000');
    expect(ok.headers['x-portico-request-id']).toBeDefined();
    const viaHeader = await call('/tracking/shipments/43', {
      'x-api-key': partner.key,
    });
    expect(viaHeader.status).toBe(200);

    expect(tracking.seen.map(s => s.url)).toEqual([
      '/shipments/42?units=metric',
      '/shipments/43',
    ]);
    for (const seen of tracking.seen) {
      expect(seen.headers['x-portico-partner']).toBe(partner.partnerId);
      expect(seen.headers['x-portico-key-id']).toBe(partner.keyId);
      expect(seen.headers['x-portico-plan']).toBe('starter');
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-api-key']).toBeUndefined();
      expect(JSON.stringify(seen.headers)).not.toContain(partner.key);
      expect(
        verifyGatewaySignature({
          secret: TEST_SECRET,
          headers: seen.headers,
          method: 'GET',
          path: seen.url,
        }),
      ).toMatchObject({ ok: true, partnerId: partner.partnerId });
    }
  });

  it('answers 401 for a bad or missing key, 403 for a product the key is not for', async () => {
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    tracking.seen.length = 0;
    const bad = await call('/tracking/shipments/42', {
      authorization: `Bearer ${partner.key.slice(0, -2)}xx`,
    });
    expect(bad.status).toBe(401);
    expect(bad.headers['content-type']).toBe('application/problem+json');
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="portico"');
    expect(bad.json().code).toBe('invalid_key');
    const missing = await call('/tracking/shipments/42');
    expect(missing.status).toBe(401);
    expect(missing.json().code).toBe('missing_key');
    const other = await call('/rates/quote', {
      authorization: `Bearer ${partner.key}`,
    });
    expect(other.status).toBe(403);
    expect(other.json().code).toBe('not_scoped');
    // NGINX routes by the decoded path; the upstream would get the raw one.
    const encoded = await call('/tracking/a%2f..%2fadmin', {
      authorization: `Bearer ${partner.key}`,
    });
    expect(encoded.status).toBe(400);
    expect(encoded.json().code).toBe('invalid_path');
    const escaping = await call('/tracking/a/..%2f..%2fadmin', {
      authorization: `Bearer ${partner.key}`,
    });
    // NGINX resolves it to /admin (no product); the raw target is refused.
    expect(escaping.status).toBe(400);
    expect(escaping.json().code).toBe('invalid_path');
    expect(tracking.seen).toEqual([]);
    expect(rates.seen).toEqual([]);
  });

  it('answers 429 with Retry-After once the plan rate is used up', async () => {
    // Free plan of the test pricing: 2 calls per second, burst 2.
    const partner = await seedPartner(knex, { plans: { tracking: 'free' } });
    const headers = { authorization: `Bearer ${partner.key}` };
    const statuses = [];
    let limited;
    for (let i = 0; i < 3; i++) {
      const response = await call('/tracking/shipments/1', headers);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(limited!.json().code).toBe('rate_limited');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited!.headers['ratelimit-remaining']).toBe('0');
  });

  it('answers 503 service_unavailable when the gateway cannot be reached', async () => {
    const partner = await seedPartner(knex, { plans: { tracking: 'starter' } });
    await gateway.shutdown('test');
    const down = await call('/tracking/shipments/1', {
      authorization: `Bearer ${partner.key}`,
    });
    expect(down.status).toBe(503);
    expect(down.json().code).toBe('service_unavailable');
  });
});
