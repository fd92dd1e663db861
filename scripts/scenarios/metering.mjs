#!/usr/bin/env node
/*
 * Metering scenario (a script, not a test): two standalone gateway replicas
 * (packages/gateway, real processes) share Redis and PostgreSQL in front of
 * an upstream that counts what reaches it. It proves, and prints:
 *
 *   1. zero metering loss over N calls (default 100,000) while one replica
 *      restarts gracefully and Redis is unreachable for 10 s: upstream count
 *      = database rollup + live counters;
 *   2. rate-limit accuracy across both replicas (20/s, 200 clients, 10 s);
 *   3. free-quota exactness across both replicas;
 *   4. what `kill -9` of a replica loses, against the stated bound;
 *   5. zero metering loss across a SHUTDOWN and a kill -9 of a Redis of its
 *      own with AOF (appendfsync always), as the gateway README documents.
 *
 *   source scripts/env.sh && node scripts/scenarios/metering.mjs [N]
 *
 * Needs PostgreSQL and Redis (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
 * BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING, defaults on 127.0.0.1), and
 * `redis-server` on PATH for part 5.
 * Creates its own database and Redis key prefix and removes them at the end.
 * Exits 1 if a check fails.
 */
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createConnection, createServer as createNetServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisServer } from './redisServer.mjs';

const require = createRequire(import.meta.url);
const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SCRIPT), '../..');
const GATEWAY_DIR = join(ROOT, 'packages/gateway');
const REDIS_URL =
  process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??
  'redis://127.0.0.1:6379';
const PG_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

const sleep = ms => new Promise(done => setTimeout(done, ms));

/** A phase that hangs fails the scenario instead of blocking it. */
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`${what} did not finish within ${ms / 1000} s`)),
        ms,
      );
    }),
  ]);
}

// ------------------------------------------------------------------ children

/** Counts calls per partner (X-Portico-Partner); GET /__counts reports. */
function runUpstream() {
  const counts = {};
  const body = JSON.stringify({ ok: true, shipment: 42 });
  const server = createHttpServer((req, res) => {
    if (req.url === '/__counts') {
      res.end(JSON.stringify(counts));
      return;
    }
    const partner = req.headers['x-portico-partner'] ?? '(none)';
    counts[partner] = (counts[partner] ?? 0) + 1;
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () =>
    process.send({ port: server.address().port }),
  );
}

/**
 * A TCP hop in front of Redis that the parent can cut: `down` destroys every
 * connection and refuses new ones (Redis unreachable), `up` listens again.
 */
function runRedisProxy(target) {
  const url = new URL(target);
  const sockets = new Set();
  let server;
  let port = 0;
  const up = () =>
    new Promise((done, fail) => {
      server = createNetServer(client => {
        const upstream = createConnection(
          Number(url.port || 6379),
          url.hostname,
        );
        sockets.add(client).add(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        for (const s of [client, upstream]) {
          s.on('close', close);
          s.on('error', close);
        }
      });
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        done();
      });
    });
  const down = async () => {
    const closing = new Promise(done => server.close(done));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closing;
  };
  process.on('message', async message => {
    if (message === 'down') await down();
    if (message === 'up') await up();
    process.send({ done: message });
  });
  up().then(() => process.send({ port }));
}

// ---------------------------------------------------------------- utilities

/** Every process this script starts, stopped if the script is interrupted. */
const children = new Set();
function stopChildrenOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const child of children) child.kill('SIGKILL');
      console.error(
        `Interrupted: the portico_scenario_* database and portico-scenario:* Redis keys are left behind`,
      );
      process.exit(1);
    });
  }
}

function forkChild(role, ...args) {
  const proc = fork(SCRIPT, [role, ...args], { stdio: 'inherit' });
  children.add(proc);
  const replies = [];
  const waiting = [];
  proc.on('message', message => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else replies.push(message);
  });
  const next = () =>
    replies.length
      ? Promise.resolve(replies.shift())
      : new Promise(done => waiting.push(done));
  return {
    proc,
    next,
    async ask(message) {
      proc.send(message);
      return next();
    },
  };
}

async function freePort() {
  const server = createNetServer();
  await new Promise(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise(done => server.close(done));
  return port;
}

function loadLibraries() {
  require('@backstage/cli-node/config/nodeTransform.cjs');
  return {
    node: require('@portico/plugin-api-marketplace-node'),
    seed: require(join(GATEWAY_DIR, 'src/__testUtils__/seed.ts')),
    backend: require('@portico/plugin-api-marketplace-backend'),
    knexFactory: require('knex'),
    Redis: require('ioredis').Redis,
    undici: require('undici'),
  };
}

const PRICING = {
  tracking: {
    free: { monthlyQuota: 1_000_000_000, ratePerSecond: 20 },
    starter: {
      monthlyPrice: 49,
      includedCalls: 100_000,
      overagePer1000: 0.5,
      ratePerSecond: 1000,
    },
    enterprise: {
      monthlyPrice: 499,
      includedCalls: 10_000_000,
      overagePer1000: 0.2,
      ratePerSecond: 1_000_000,
    },
  },
};
PRICING['quota-demo'] = {
  ...PRICING.tracking,
  free: { monthlyQuota: 1000, ratePerSecond: 100_000 },
};

/** The backend's product list (GET /api/api-marketplace/v1/products). */
function startFakeBackend(token, upstreamUrl) {
  const products = Object.entries(PRICING).map(([id, pricing]) => ({
    id,
    category: 'logistics',
    status: 'active',
    tags: [],
    baseUrl: upstreamUrl,
    pricing,
  }));
  const server = createHttpServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    const one = /^\/api\/api-marketplace\/v1\/products\/([^/?]+)$/.exec(
      req.url,
    );
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/api-marketplace/v1/products') {
      res.end(JSON.stringify({ items: products }));
    } else if (one && products.some(p => p.id === one[1])) {
      res.end(JSON.stringify(products.find(p => p.id === one[1])));
    } else {
      res.writeHead(404).end('{}');
    }
  });
  return new Promise(done =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, url: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}

/** The config every replica gets; only the Redis it reaches differs. */
function gatewayConfig({
  backend,
  connection,
  dbPrefix,
  token,
  redisUrl,
  prefix,
}) {
  return `backend:
  baseUrl: ${backend.url}
  database:
    client: pg
    connection: ${JSON.stringify(connection)}
    prefix: ${dbPrefix}
  auth:
    externalAccess:
      - type: static
        options:
          token: ${token}
          subject: portico-gateway
apiMarketplace:
  redis:
    connection: ${redisUrl}
    prefix: '${prefix}'
  gateway:
    signingSecret: ${randomBytes(24).toString('hex')}
    productRefreshSeconds: 5
    shutdownTimeoutSeconds: 10
`;
}

/** One gateway replica: `node` with the Backstage TS transform, as `package start` runs it. */
class Replica {
  constructor(name, port, configPath, logDir) {
    this.name = name;
    this.port = port;
    this.configPath = configPath;
    this.logDir = logDir;
    this.url = `http://127.0.0.1:${port}`;
    this.starts = 0;
    this.lastStop = undefined;
  }

  async start(undici) {
    this.starts++;
    this.dead = false;
    const log = createWriteStream(
      join(this.logDir, `${this.name}-${this.starts}.log`),
    );
    this.proc = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        this.configPath,
      ],
      {
        cwd: GATEWAY_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          APP_CONFIG_apiMarketplace_gateway_listen_port: String(this.port),
        },
      },
    );
    children.add(this.proc);
    this.lines = [];
    let buffer = '';
    this.proc.stdout.on('data', chunk => {
      log.write(chunk);
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        this.lines.push(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    });
    this.proc.stderr.pipe(log);
    this.exited = new Promise(done =>
      this.proc.once('exit', (code, signal) => done({ code, signal })),
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.proc.exitCode !== null) {
        throw new Error(`${this.name} exited at start; see ${log.path}`);
      }
      const ready = await undici
        .request(`${this.url}/readyz`)
        .then(r => r.body.dump().then(() => r.statusCode === 200))
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`${this.name} never ready`);
      await sleep(100);
    }
  }

  /** SIGTERM and wait: the replica's own shutdown report. */
  async stop() {
    this.proc.kill('SIGTERM');
    const { code } = await this.exited;
    const line = this.lines.find(l => l.includes('"Gateway stopped"'));
    const report = line ? JSON.parse(line) : undefined;
    this.lastStop = {
      code,
      ...(report && {
        drained: report.drained,
        forced: report.forced,
        served: report.served,
        meterRowsAtClose: report.meterRowsAtClose,
        unflushedRows: report.unflushedRows,
        durationMs: report.durationMs,
      }),
    };
    return this.lastStop;
  }

  /** The load balancer's health check takes it out of rotation too. */
  async kill9() {
    this.dead = true;
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}

/**
 * Calls from `concurrency` clients spread over the replicas, like a load
 * balancer: a connection refused or reset before an answer (a replica
 * restarting) is retried on another replica; answers are counted by status.
 */
async function drive(undici, options) {
  const { replicas, concurrency, path, key } = options;
  // Shared view of the replicas: one refusing connections is skipped for a
  // while, like a load balancer's passive health check.
  const targets = replicas.map(replica => ({
    replica,
    downUntil: 0,
    completed: 0,
  }));
  const stats = {
    completed: 0,
    byStatus: {},
    retries: 0,
    errors: {},
    problems: {},
  };
  const started = Date.now();
  let issued = 0;
  let turn = 0;
  const more = () =>
    options.durationMs !== undefined
      ? Date.now() - started < options.durationMs
      : issued < options.total || (options.until && !options.until());
  const pick = () => {
    const now = Date.now();
    const first = turn++;
    for (let i = 0; i < targets.length; i++) {
      const index = (first + i) % targets.length;
      const target = targets[index];
      if (target.downUntil <= now && !target.replica.dead) return index;
    }
    return undefined;
  };
  const allClients = new Set();
  const connect = index => {
    const client = new undici.Client(targets[index].replica.url);
    allClients.add(client);
    return client;
  };
  const drop = client => {
    allClients.delete(client);
    client.destroy().catch(() => {});
  };
  /** Each client sends one call at a time on its own keep-alive connection per replica. */
  async function worker() {
    const clients = targets.map((_, index) => connect(index));
    while (more()) {
      issued++;
      for (;;) {
        const index = pick();
        if (index === undefined) {
          await sleep(20);
          continue;
        }
        const target = targets[index];
        try {
          const response = await clients[index].request({
            path,
            method: 'GET',
            headers: { authorization: `Bearer ${key}` },
            // A replica killed mid-call must not hang a client forever.
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.body.text();
          if (response.statusCode !== 200) {
            let code = '';
            try {
              code = JSON.parse(text).code ?? '';
            } catch {
              // not a problem document
            }
            const label = `${response.statusCode} ${code}`;
            stats.problems[label] = (stats.problems[label] ?? 0) + 1;
          }
          stats.byStatus[response.statusCode] =
            (stats.byStatus[response.statusCode] ?? 0) + 1;
          stats.completed++;
          target.completed++;
          options.onProgress?.(stats);
          break;
        } catch (error) {
          stats.retries++;
          const code = error.code ?? error.name;
          stats.errors[code] = (stats.errors[code] ?? 0) + 1;
          drop(clients[index]);
          clients[index] = connect(index);
          target.downUntil = Date.now() + 500;
        }
      }
    }
    for (const client of clients) drop(client);
  }
  let lastCompleted = -1;
  const watchdog = setInterval(() => {
    if (stats.completed === lastCompleted) {
      console.log(
        `  (no progress for 10 s: issued ${issued}, ${JSON.stringify(stats)})`,
      );
    }
    lastCompleted = stats.completed;
  }, 10_000);
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(watchdog);
  stats.seconds = (Date.now() - started) / 1000;
  stats.perReplica = Object.fromEntries(
    targets.map(t => [t.replica.name, t.completed]),
  );
  await Promise.all([...allClients].map(client => client.destroy()));
  return stats;
}

/** Usage buckets of a partner straight from Redis (any minute, rolled or not). */
async function redisUsage(redis, node, prefix, partnerId, openAfter) {
  const totals = { billable: 0, calls: 0, rolled: 0, open: 0 };
  const open = { billable: 0, calls: 0 };
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}usage:{${partnerId}}:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const key of keys) {
      const dims = node.parseUsageKey(prefix, key);
      const fields = await redis.hgetall(key);
      const calls = ['2xx', '3xx', '4xx', '5xx'].reduce(
        (sum, f) => sum + Number(fields[f] ?? 0),
        0,
      );
      totals.billable += Number(fields.billable ?? 0);
      totals.calls += calls;
      if (fields._rolled !== undefined) totals.rolled++;
      if (openAfter !== undefined && dims.minute + 60_000 > openAfter) {
        if (fields._rolled === undefined) {
          open.billable += Number(fields.billable ?? 0);
          open.calls += calls;
          totals.open++;
        }
      }
    }
  } while (cursor !== '0');
  return { totals, open };
}

const BILLABLE_CLASSES = ['2xx', '3xx', '4xx'];

/** The backend's own rollup job: closed minutes SET into usage_rollups, then marked. */
async function rollup(backend, knex, store, before) {
  const job = backend.UsageRollupJob.create({
    reader: store,
    database: knex,
    logger: { info() {}, debug() {}, warn: console.warn },
    closeDelayMs: 0,
    now: () => before,
  });
  const result = await job.run();
  const withBillable = await knex.schema.hasColumn(
    'usage_rollups',
    'billable_calls',
  );
  return { ...result, withBillable };
}

async function databaseUsage(knex, partnerId, withBillable) {
  const rows = await knex('usage_rollups')
    .where({ partner_id: partnerId, granularity: 'minute' })
    .select(
      'status_class',
      'calls',
      ...(withBillable ? ['billable_calls'] : []),
    );
  let calls = 0;
  let billable = 0;
  for (const row of rows) {
    calls += Number(row.calls);
    billable += withBillable
      ? Number(row.billable_calls)
      : BILLABLE_CLASSES.includes(row.status_class)
      ? Number(row.calls)
      : 0;
  }
  return { rows: rows.length, calls, billable };
}

/**
 * What reached the upstream against what is metered: closed minutes rolled
 * up into `usage_rollups` by the backend's own job (run twice: the re-run
 * must change nothing), the open minute read from the live counters.
 */
/** Lets the meters flush (every 100 ms), then stops the replicas gracefully. */
async function stopGracefully(replicas) {
  await sleep(2000);
  for (const replica of replicas) {
    const report = await replica.stop();
    console.log(`  replica ${replica.name} stopped: ${JSON.stringify(report)}`);
  }
}

/** Every replica's last graceful stop flushed its meter and forced nothing. */
function flushedOnStop(replicas) {
  return replicas.every(
    r => r.lastStop?.unflushedRows === 0 && r.lastStop?.forced === 0,
  );
}

async function reconcile({
  lib,
  knex,
  redis,
  store,
  prefix,
  partnerId,
  t0,
  counts,
}) {
  const upstreamCount = (await counts())[partnerId] ?? 0;
  let before = Date.now();
  if (before - (before % 60_000) <= t0) {
    // Every call fell in the still open minute: wait for it to close so
    // that the rollup has something to store.
    const wait = 60_000 - (before % 60_000) + 100;
    console.log(
      `  (all calls are in the open minute: waiting ${Math.round(
        wait / 1000,
      )} s for it to close)`,
    );
    await sleep(wait);
    before = Date.now();
  }
  const first = await rollup(lib.backend, knex, store, before);
  const again = await rollup(lib.backend, knex, store, before);
  const stored = await databaseUsage(knex, partnerId, first.withBillable);
  const live = await redisUsage(redis, lib.node, prefix, partnerId, before);
  console.log(
    `  rollup: ${first.buckets} closed minute buckets set and ${first.marked} marked; a re-run found ${again.buckets}`,
  );
  console.log(`  upstream count                 ${upstreamCount}`);
  console.log(
    `  database rollup (closed mins)  ${stored.billable} billable, ${stored.calls} calls in ${stored.rows} rows`,
  );
  console.log(
    `  live counters (open minute)    ${live.open.billable} billable, ${live.open.calls} calls`,
  );
  const billedTotal = stored.billable + live.open.billable;
  const callsTotal = stored.calls + live.open.calls;
  console.log(`  total billable                 ${billedTotal}`);
  console.log(
    `  difference (billable-upstream) ${billedTotal - upstreamCount}`,
  );
  console.log(`  difference (calls-upstream)    ${callsTotal - upstreamCount}`);
  return { upstreamCount, billedTotal, callsTotal };
}

const checks = [];
function check(name, ok, detail) {
  checks.push({ name, ok });
  console.log(
    `  ${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `: ${detail}` : ''}`,
  );
}

// -------------------------------------------------------------- orchestrator

async function main() {
  stopChildrenOnSignals();
  const N = Number(process.argv[2] ?? 100_000);
  const lib = loadLibraries();
  const { node, seed, knexFactory, Redis, undici } = lib;
  const id = randomBytes(4).toString('hex');
  const prefix = `portico-scenario:${id}:`;
  const dbPrefix = `portico_scenario_${id}_`;
  const database = `${dbPrefix}api-marketplace`;
  const token = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'portico-scenario-'));
  const pg = new URL(PG_URL);
  console.log(`Metering scenario ${id}: N=${N}, logs in ${dir}`);

  // PostgreSQL: the plugin database under Backstage's naming, migrated by
  // the backend's own migrations, seeded like the backend's stores do.
  const connection = {
    host: pg.hostname,
    port: Number(pg.port || 5432),
    user: decodeURIComponent(pg.username || 'postgres'),
    password: decodeURIComponent(pg.password),
  };
  const admin = knexFactory({ client: 'pg', connection });
  await admin.raw('create database ??', [database]);
  const knex = knexFactory({
    client: 'pg',
    connection: { ...connection, database },
    pool: { min: 0, max: 4 },
  });
  await seed.migrateMarketplaceDatabase(knex);
  const steady = await seed.seedPartner(knex, {
    plans: { tracking: 'enterprise' },
  });
  const limited = await seed.seedPartner(knex, { plans: { tracking: 'free' } });
  const quota = await seed.seedPartner(knex, {
    plans: { 'quota-demo': 'free' },
  });
  const killed = await seed.seedPartner(knex, {
    plans: { tracking: 'enterprise' },
  });

  const upstream = forkChild('upstream');
  const upstreamUrl = `http://127.0.0.1:${(await upstream.next()).port}`;
  const counts = async () =>
    JSON.parse(
      await (await undici.request(`${upstreamUrl}/__counts`)).body.text(),
    );
  const proxy = forkChild('redis-proxy', REDIS_URL);
  const proxyUrl = `redis://127.0.0.1:${(await proxy.next()).port}`;
  const backend = await startFakeBackend(token, upstreamUrl);

  const configPath = join(dir, 'app-config.scenario.yaml');
  const configOf = redisUrl =>
    gatewayConfig({ backend, connection, dbPrefix, token, redisUrl, prefix });
  writeFileSync(configPath, configOf(proxyUrl));
  const replicas = [
    new Replica('A', await freePort(), configPath, dir),
    new Replica('B', await freePort(), configPath, dir),
  ];
  await Promise.all(replicas.map(r => r.start(undici)));
  const [A, B] = replicas;
  const redis = new Redis(REDIS_URL);
  const store = new node.RedisUsageStore(redis, { prefix });
  let failed = false;
  // Phase 5's own redis-server and its replicas.
  const extraReplicas = [];
  let own;
  let ownClient;

  const phases = new Set(
    (process.env.SCENARIO_PHASES ?? '1,2,3,4,5').split(',').map(Number),
  );
  // What happens during run 1; `restart,redis` by default, to attribute a
  // difference to one of them.
  const incidents = new Set(
    (process.env.SCENARIO_INCIDENTS ?? 'restart,redis').split(','),
  );
  const ensureRunning = () =>
    Promise.all(
      replicas
        .filter(r => r.proc.exitCode !== null || r.proc.signalCode !== null)
        .map(r => r.start(undici)),
    );

  try {
    // ------------------------------------------------ 1. zero metering loss
    if (phases.has(1)) {
      console.log(
        `\n1. ${N}+ calls, 64 clients over 2 replicas; replica A restarts gracefully at 25 %, Redis is cut for 10 s at 50 % (calls go on until 5 s after it is back)`,
      );
      const events = [];
      const t0 = Date.now();
      const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      let restart;
      let cut;
      const onProgress = stats => {
        if (!restart && stats.completed >= N * 0.25) {
          restart = (async () => {
            if (!incidents.has('restart')) return;
            events.push(
              `${at()} SIGTERM replica A (${stats.completed} calls done)`,
            );
            const report = await A.stop();
            events.push(`${at()} replica A stopped: ${JSON.stringify(report)}`);
            await A.start(undici);
            events.push(`${at()} replica A ready again`);
          })();
        }
        if (restart && !cut && stats.completed >= N * 0.5) {
          cut = (async () => {
            await restart;
            if (!incidents.has('redis')) return;
            events.push(`${at()} Redis cut (${stats.completed} calls done)`);
            await proxy.ask('down');
            await sleep(10_000);
            await proxy.ask('up');
            events.push(
              `${at()} Redis reachable again (${stats.completed} calls done)`,
            );
            // Traffic goes on while the replicas reconnect and replay.
            await sleep(5_000);
          })();
        }
      };
      let eventsDone = false;
      const load = await withTimeout(
        drive(undici, {
          replicas,
          concurrency: 64,
          path: '/gateway/tracking/shipments/42',
          key: steady.key,
          total: N,
          until: () => eventsDone,
          onProgress: stats => {
            onProgress(stats);
            if (cut && !eventsDone) cut.then(() => (eventsDone = true));
          },
        }),
        30 * 60_000,
        'the zero-loss run',
      );
      for (const event of events) console.log(`  ${event}`);
      console.log(
        `  load: ${load.completed} calls in ${load.seconds.toFixed(
          1,
        )} s (${Math.round(
          load.completed / load.seconds,
        )}/s), statuses ${JSON.stringify(
          load.byStatus,
        )}, retried after connection errors ${load.retries} ${JSON.stringify(
          load.errors,
        )}, per replica ${JSON.stringify(load.perReplica)}`,
      );
      if (Object.keys(load.problems).length) {
        console.log(`  refusals: ${JSON.stringify(load.problems)}`);
      }
      await stopGracefully(replicas);
      const { upstreamCount, billedTotal, callsTotal } = await reconcile({
        lib,
        knex,
        redis,
        store,
        prefix,
        partnerId: steady.partnerId,
        t0,
        counts,
      });
      check(
        'zero metering loss across a graceful restart and a 10 s Redis outage',
        billedTotal === upstreamCount && callsTotal === upstreamCount,
        `upstream ${upstreamCount}, metered ${billedTotal} billable / ${callsTotal} calls`,
      );
      check(
        'every client call answered 200 (no call refused)',
        load.byStatus[200] === load.completed && load.completed >= N,
      );
      check('both graceful stops flushed everything', flushedOnStop([A, B]));
    }

    // ------------------------------------------ 2. rate-limit accuracy
    await ensureRunning();
    if (phases.has(2)) {
      console.log(
        '\n2. Rate limit 20/s (burst 20) on one key, 200 clients over 2 replicas, 10 s',
      );
      const rate = await withTimeout(
        drive(undici, {
          replicas,
          concurrency: 200,
          path: '/gateway/tracking/shipments/1',
          key: limited.key,
          durationMs: 10_000,
        }),
        120_000,
        'the rate-limit run',
      );
      const allowed = rate.byStatus[200] ?? 0;
      const expected = 20 * rate.seconds + 20;
      console.log(
        `  ${rate.completed} calls in ${rate.seconds.toFixed(
          2,
        )} s: ${allowed} allowed, ${
          rate.byStatus[429] ?? 0
        } refused 429; expected ${expected.toFixed(
          0,
        )} (20/s × ${rate.seconds.toFixed(2)} s + burst 20), error ${(
          ((allowed - expected) / expected) *
          100
        ).toFixed(1)} %`,
      );
      check(
        'allowed within ±5 % of rate × time + burst',
        Math.abs(allowed - expected) <= expected * 0.05,
      );
      check(
        'upstream saw exactly the allowed calls',
        ((await counts())[limited.partnerId] ?? 0) === allowed,
      );
    }

    // ------------------------------------------ 3. free quota exactness
    if (phases.has(3)) {
      console.log(
        '\n3. Free plan quota 1,000 calls, 3,000 calls from 200 clients over 2 replicas',
      );
      const q = await withTimeout(
        drive(undici, {
          replicas,
          concurrency: 200,
          path: '/gateway/quota-demo/items',
          key: quota.key,
          total: 3000,
        }),
        120_000,
        'the quota run',
      );
      const month = node.monthOf(Date.now());
      const counter = Number(
        await redis.get(
          node.quotaKey(
            prefix,
            quota.partnerId,
            'quota-demo',
            'production',
            month.id,
          ),
        ),
      );
      const quotaUpstream = (await counts())[quota.partnerId] ?? 0;
      console.log(
        `  statuses ${JSON.stringify(q.byStatus)} ${JSON.stringify(
          q.problems,
        )}; upstream ${quotaUpstream}; Redis quota counter ${counter}`,
      );
      check(
        'exactly 1,000 allowed, upstream 1,000, counter 1,000',
        q.byStatus[200] === 1000 && quotaUpstream === 1000 && counter === 1000,
      );
    }

    // ------------------------------------------ 4. kill -9 of a replica
    if (phases.has(4)) {
      const K = Math.max(20_000, Math.round(N / 5));
      console.log(
        `\n4. kill -9 of replica B half way through ${K} calls (64 clients)`,
      );
      let killedAt;
      let killing;
      const killStarted = Date.now();
      const kill = await withTimeout(
        drive(undici, {
          replicas,
          concurrency: 64,
          path: '/gateway/tracking/shipments/7',
          key: killed.key,
          total: K,
          onProgress: stats => {
            if (!killing && stats.completed >= K / 2) {
              killedAt = Date.now();
              killing = B.kill9();
              console.log(`  kill -9 replica B at ${stats.completed} calls`);
            }
          },
        }),
        10 * 60_000,
        'the kill -9 run',
      );
      await killing;
      await sleep(2000); // A's meter has flushed
      const killUpstream = (await counts())[killed.partnerId] ?? 0;
      const killUsage = await redisUsage(redis, node, prefix, killed.partnerId);
      const rateB = kill.perReplica.B / ((killedAt - killStarted) / 1000);
      console.log(
        `  ${kill.completed} calls, statuses ${JSON.stringify(
          kill.byStatus,
        )}, retried ${kill.retries} ${JSON.stringify(
          kill.errors,
        )}, per replica ${JSON.stringify(kill.perReplica)}`,
      );
      console.log(`  upstream count                 ${killUpstream}`);
      console.log(
        `  Redis billable                 ${
          killUsage.totals.billable
        } (difference ${killUsage.totals.billable - killUpstream})`,
      );
      console.log(
        `  Redis status-class calls       ${
          killUsage.totals.calls
        } (difference ${killUsage.totals.calls - killUpstream})`,
      );
      // Billable calls are counted by the meter only (the node library's
      // README, "Billable rule"): B's unflushed buffer is lost, nothing more.
      const bound = Math.ceil(rateB * 0.25) + 64;
      console.log(
        `  bound: the meter counts billable calls and status classes together when a call is over, and flushes every 100 ms; kill -9 loses what B had not flushed: ≤ B's rate × (100 ms + one flush round trip + event-loop lag) + calls in flight, checked as ≤ 250 ms of B's traffic + 64 = ${bound} calls at ${Math.round(
          rateB,
        )}/s; it never over-counts.`,
      );
      const lost = killUpstream - killUsage.totals.calls;
      console.log(
        `  measured: ${lost} calls reached the upstream without a metered status, ≈ ${Math.round(
          (Math.max(0, lost - 64) / rateB) * 1000,
        )}-${Math.round(
          (lost / rateB) * 1000,
        )} ms of B's traffic (if 64 / none of them were in flight at the kill)`,
      );
      check(
        "kill -9 loses at most B's unflushed meter buffer (billable = status-class calls, 0 ≤ upstream − billable ≤ bound)",
        killUsage.totals.billable === killUsage.totals.calls &&
          lost >= 0 &&
          lost <= bound,
        `${lost} lost, bound ${bound}`,
      );
    }
    // ------------------------- 5. Redis restarts with AOF persistence
    if (phases.has(5)) {
      const persistence = process.env.SCENARIO_REDIS_PERSISTENCE ?? 'always';
      const M = Math.max(30_000, Math.round(N / 3));
      console.log(
        `\n5. ${M}+ calls, 64 clients over 2 replicas on a redis-server of its own (${
          persistence === 'none'
            ? 'no persistence'
            : `AOF, appendfsync ${persistence}`
        }): at 1/3 Redis gets SHUTDOWN, at 2/3 (and 3 s after it is back) kill -9; each time it is down 3 s, then starts on its data directory (calls go on until 5 s after the last start)`,
      );
      own = new RedisServer({
        port: await freePort(),
        dir: mkdtempSync(join(dir, 'redis-')),
        persistence,
        track: proc => children.add(proc),
        Redis,
      });
      await own.start();
      const persisted = await seed.seedPartner(knex, {
        plans: { tracking: 'enterprise' },
      });
      const ownConfig = join(dir, 'app-config.own-redis.yaml');
      writeFileSync(ownConfig, configOf(own.url));
      const pair = [
        new Replica('C', await freePort(), ownConfig, dir),
        new Replica('D', await freePort(), ownConfig, dir),
      ];
      extraReplicas.push(...pair);
      await Promise.all(pair.map(r => r.start(undici)));
      ownClient = new Redis(own.url);
      ownClient.on('error', () => {});

      const events = [];
      const t0 = Date.now();
      const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      let progress = { completed: 0 };
      const restart = async how => {
        const { completed } = progress;
        const rate = Math.round(completed / ((Date.now() - t0) / 1000));
        events.push(
          `${at()} Redis ${how} (${completed} calls done, ${rate}/s so far)`,
        );
        const exit =
          how === 'SHUTDOWN' ? await own.shutdown() : await own.kill9();
        events.push(`${at()} redis-server exited ${JSON.stringify(exit)}`);
        await sleep(3_000);
        await own.start();
        events.push(`${at()} redis-server started again`);
      };
      let graceful;
      let crash;
      let eventsDone = false;
      const load = await withTimeout(
        drive(undici, {
          replicas: pair,
          concurrency: 64,
          path: '/gateway/tracking/shipments/5',
          key: persisted.key,
          total: M,
          until: () => eventsDone,
          onProgress: stats => {
            progress = stats;
            if (!graceful && stats.completed >= M / 3) {
              graceful = restart('SHUTDOWN');
            }
            if (graceful && !crash && stats.completed >= (2 * M) / 3) {
              crash = graceful
                // The replicas are writing to the restarted Redis again.
                .then(() => sleep(3_000))
                .then(() => restart('kill -9'))
                // Traffic goes on while the replicas reconnect and replay.
                .then(() => sleep(5_000))
                .then(() => (eventsDone = true));
            }
          },
        }),
        30 * 60_000,
        'the Redis restart run',
      );
      for (const event of events) console.log(`  ${event}`);
      for (const line of own.loadLines()) console.log(`  redis ${line}`);
      console.log(
        `  load: ${load.completed} calls in ${load.seconds.toFixed(
          1,
        )} s, statuses ${JSON.stringify(load.byStatus)}, retried ${
          load.retries
        }, per replica ${JSON.stringify(load.perReplica)}`,
      );
      await stopGracefully(pair);
      const { upstreamCount, billedTotal, callsTotal } = await reconcile({
        lib,
        knex,
        redis: ownClient,
        store: new node.RedisUsageStore(ownClient, { prefix }),
        prefix,
        partnerId: persisted.partnerId,
        t0,
        counts,
      });
      check(
        `zero metering loss across a Redis SHUTDOWN and a kill -9 of Redis (${persistence})`,
        billedTotal === upstreamCount && callsTotal === upstreamCount,
        `upstream ${upstreamCount}, metered ${billedTotal} billable / ${callsTotal} calls`,
      );
      check(
        'every client call answered 200 while Redis restarted',
        load.byStatus[200] === load.completed && load.completed >= M,
      );
      check('both graceful stops flushed everything', flushedOnStop(pair));
    }
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    for (const replica of [...replicas, ...extraReplicas]) {
      if (replica.proc.exitCode === null && replica.proc.signalCode === null) {
        await replica.stop().catch(() => {});
      }
    }
    upstream.proc.kill();
    proxy.proc.kill();
    backend.server.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    ownClient?.disconnect();
    await own?.kill9();
    await knex.destroy();
    await admin.raw('drop database if exists ?? with (force)', [database]);
    await admin.destroy();
  }
  const failures = checks.filter(c => !c.ok).length;
  console.log(
    `\n${checks.length - failures}/${checks.length} checks passed${
      failed ? ', scenario aborted' : ''
    }`,
  );
  process.exit(failures > 0 || failed ? 1 : 0);
}

const role = process.argv[2];
if (role === 'upstream') runUpstream();
else if (role === 'redis-proxy') runRedisProxy(process.argv[3]);
else main();
