#!/usr/bin/env node
/*
 * Gateway benchmark (not a test). Compares a bare undici proxy with the
 * Portico gateway (key verification, Redis rate limiting/quota, metering,
 * signing) in front of the same tiny JSON upstream, in one run:
 *
 *   - bare proxy vs gateway with 1 key, and with 10,000 distinct keys,
 *     held by 100 partners (the marketplace's shape) and by 10,000 (the
 *     worst case for the meter: every call its own partner's usage row);
 *   - the gateway mounted in an express router, as a Backstage backend
 *     plugin mounts it (`router.use('/gateway/:productId', handler)`);
 *   - the same at a fixed rate below saturation (latency without queueing);
 *   - a hot key (20 req/s) hammered by 200 connections through 2 gateway
 *     replicas: allowed calls vs burst + rate × time;
 *   - key verification from cache, µs/op.
 *
 *   cd plugins/api-marketplace-node && node scripts/bench-gateway.mjs [seconds] [connections]
 *
 * Needs Redis (BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING or
 * redis://127.0.0.1:6379). Upstream, bare proxy, gateways each run in their
 * own child process; autocannon drives them from this one. Everything shares
 * the machine's cores (and, on a shared box, other people's work), so each
 * round measures the bare proxy and the gateway back to back, ratios are
 * taken per round (every other round in reverse order, so a slowing or
 * speeding box does not always favour one side of a pair), and the CPU time
 * per request of every process is printed:
 * that is what the gateway really costs, whatever else runs.
 *
 * Env: BENCH_ROUNDS (3), BENCH_RATE (fixed-rate req/s, 2000),
 * BENCH_HOT_SECONDS (10), BENCH_GATEWAY_FLAGS (e.g. --cpu-prof),
 * BENCH_LIMITER=memory / BENCH_METER=off (isolate their cost),
 * BENCH_INFLIGHT (limiter batches in flight, default 1), BENCH_PIN=1 (pin
 * the proxies to CPU 0, load generator and upstream to CPU 1, with taskset).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const SCRIPT = fileURLToPath(import.meta.url);
const REDIS_URL =
  process.env.BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING ??
  'redis://127.0.0.1:6379';
const PRODUCT = 'tracking';
const HOT_RATE = 20;
/**
 * The upstream pool settings of both proxies: the gateway's defaults
 * (`UpstreamPools`), so the bare proxy is measured with the same undici
 * Pool, the same dispatch API and the same keep-alive.
 */
const POOL_OPTIONS = {
  connections: null,
  pipelining: 1,
  keepAliveTimeout: 10_000,
  connect: { timeout: 2_000 },
};

/** Loads the package's TypeScript sources through the Backstage transform. */
function loadLibrary() {
  require('@backstage/cli/config/nodeTransform.cjs');
  return require('../src/index.ts');
}

function ready(port) {
  process.stdout.write(`READY ${port}\n`);
}

// ---------------------------------------------------------------- children

async function runUpstream() {
  const http = await import('node:http');
  const body = JSON.stringify({ ok: true, shipment: 42, status: 'in_transit' });
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  process.once('SIGTERM', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

/**
 * The baseline: forwards every request to the upstream with the gateway's
 * pool settings and the same `dispatch` + handler technique (no stream
 * wrapper), and nothing else: no key, no limit, no meter, no signature.
 */
async function runBareProxy(upstreamUrl) {
  const http = await import('node:http');
  const { Pool } = require('undici');
  const pool = new Pool(upstreamUrl, POOL_OPTIONS);
  const HOP = ['connection', 'keep-alive', 'transfer-encoding'];
  class Forward {
    constructor(res) {
      this.res = res;
    }
    onRequestStart() {}
    onResponseStart(_controller, statusCode, headers) {
      for (const name of HOP) delete headers[name];
      this.res.writeHead(statusCode, headers);
    }
    onResponseData(controller, chunk) {
      if (!this.res.write(chunk)) {
        controller.pause();
        this.res.once('drain', () => controller.resume());
      }
    }
    onResponseEnd() {
      this.res.end();
    }
    onResponseError() {
      if (!this.res.headersSent) this.res.writeHead(502);
      this.res.end();
    }
  }
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.connection;
    pool.dispatch(
      { path: req.url, method: req.method, headers, body: null },
      new Forward(res),
    );
  });
  server.keepAliveTimeout = 60_000;
  process.once('SIGTERM', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

/**
 * `mode`: `standalone` (http.createServer) or `mounted` (express router);
 * `standalone+swr`: with `staleWhileRevalidateMs: 30_000` on the verifier.
 */
async function runGateway(upstreamUrl, keysFile, prefix, mode = 'standalone') {
  const http = await import('node:http');
  const lib = loadLibrary();
  const records = JSON.parse(readFileSync(keysFile, 'utf8'));
  const client = lib.createGatewayRedis(REDIS_URL);
  await lib.waitForRedis(client);
  const bus = lib.RedisRevocationBus.create({ url: REDIS_URL, prefix });
  const verifier = new lib.KeyVerifier({
    lookup: new lib.InMemoryKeyLookup(records),
    bus,
    maxEntries: 30_000,
    staleWhileRevalidateMs: mode.endsWith('+swr') ? 30_000 : undefined,
  });
  const meter = new lib.UsageMeter({
    sink: new lib.RedisUsageStore(client, { prefix }),
  });
  const limiter =
    process.env.BENCH_LIMITER === 'memory'
      ? new lib.InMemoryRateLimiter()
      : new lib.FailoverRateLimiter(
          new lib.RedisRateLimiter(client, {
            prefix,
            maxInFlight: Number(process.env.BENCH_INFLIGHT ?? 1),
          }),
          new lib.InMemoryRateLimiter(),
          { logger: console },
        );
  // Time from request to forwarding: what the gateway adds before the upstream.
  const { createHistogram } = await import('node:perf_hooks');
  const overhead = createHistogram();
  const handler = lib.createGatewayHandler({
    onForward: ms => overhead.record(Math.max(1, Math.round(ms * 1000))),
    verifier,
    limiter,
    meter: process.env.BENCH_METER === 'off' ? undefined : meter,
    products: {
      resolve: id => (id === PRODUCT ? { baseUrl: upstreamUrl } : undefined),
    },
    signingSecret: 'bench-secret',
  });
  // SIGUSR2: report the overhead histogram since the last report, and reset.
  process.on('SIGUSR2', () => {
    const report = {
      count: overhead.count,
      p50: overhead.count ? overhead.percentile(50) : 0,
      p99: overhead.count ? overhead.percentile(99) : 0,
    };
    overhead.reset();
    process.stdout.write(`OVERHEAD ${JSON.stringify(report)}\n`);
  });
  let listener = handler;
  if (mode === 'mounted') {
    // As a Backstage backend plugin router is mounted under /api/{pluginId}.
    const express = require('express');
    const app = express();
    const router = express.Router();
    router.use('/gateway/:productId', handler);
    app.use('/api/api-marketplace', router);
    listener = app;
  }
  const server = http.createServer(listener);
  server.keepAliveTimeout = 60_000;
  process.on('SIGTERM', async () => {
    // Stop accepting, let in-flight calls finish, then flush their metering.
    server.close();
    server.closeIdleConnections();
    await handler.close();
    const result = await meter.close();
    await bus.close();
    await client.quit();
    process.stdout.write(
      `STATS ${JSON.stringify({ ...result, ...meter.stats })}\n`,
      () => process.exit(0),
    );
  });
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

// ------------------------------------------------------------ orchestrator

function child(role, ...args) {
  // e.g. BENCH_GATEWAY_FLAGS=--cpu-prof to profile the gateway process.
  const flags =
    role === 'gateway' && process.env.BENCH_GATEWAY_FLAGS
      ? process.env.BENCH_GATEWAY_FLAGS.split(' ')
      : [];
  // BENCH_PIN=1: proxies on CPU 0; load generator and upstream on CPU 1.
  const pin = process.env.BENCH_PIN
    ? ['taskset', '-c', role === 'upstream' ? '1' : '0']
    : [];
  const command = [...pin, process.execPath, ...flags, SCRIPT, role, ...args];
  const proc = spawn(command[0], command.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  // Lines nobody waits for yet are kept: children start in parallel.
  const lines = [];
  const waiters = [];
  proc.stdout.on('data', chunk => {
    buffer += chunk;
    for (
      let newline = buffer.indexOf('\n');
      newline >= 0;
      newline = buffer.indexOf('\n')
    ) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    lines.length > 0
      ? Promise.resolve(lines.shift())
      : new Promise(resolve => waiters.push(resolve));
  return {
    proc,
    nextLine,
    async port() {
      const line = await nextLine();
      if (!line.startsWith('READY ')) throw new Error(`${role}: ${line}`);
      return Number(line.slice(6));
    },
    async url() {
      return `http://127.0.0.1:${await this.port()}`;
    },
  };
}

const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by each process of the benchmark (Linux /proc). */
async function cpuSnapshot(processes, redis) {
  const usage = process.cpuUsage();
  const out = { loadgen: (usage.user + usage.system) / 1e6 };
  for (const [name, pid] of Object.entries(processes)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .split(') ')[1]
        .split(' ');
      out[name] = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      out[name] = NaN;
    }
  }
  const info = await redis.info('cpu');
  const value = name =>
    Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  out.redis = value('used_cpu_user') + value('used_cpu_sys');
  return out;
}

let context;

/** Asks a gateway for its forwarding overhead (µs) since the last ask. */
async function probeOverhead(gateway) {
  const line = gateway.nextLine();
  gateway.proc.kill('SIGUSR2');
  return JSON.parse((await line).replace(/^OVERHEAD /, ''));
}

/**
 * `setup` is either static headers (autocannon builds the request once) or a
 * per-request function (needed to rotate keys; it costs the load generator
 * CPU, so its baseline rotates too).
 */
async function cannon(title, target, duration, connections, setup, extra = {}) {
  const autocannon = require('autocannon');
  const probed = target.probe;
  if (probed) await probeOverhead(probed);
  const before = await cpuSnapshot(context.pids, context.redis);
  const options = {
    url: target.url,
    connections,
    duration,
    pipelining: 1,
    ...extra,
    ...(typeof setup === 'function'
      ? { requests: [{ setupRequest: setup }] }
      : { headers: setup }),
  };
  const result = await autocannon(options);
  const overhead = probed ? await probeOverhead(probed) : undefined;
  const after = await cpuSnapshot(context.pids, context.redis);
  const total = result.requests.total || 1;
  const cpu = Object.fromEntries(
    Object.keys(after).map(name => [
      name,
      ((after[name] - before[name]) * 1e6) / total,
    ]),
  );
  return {
    title,
    cpu,
    overhead,
    load: loadavg()[0],
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** A key of its own partner, unless `partnerId` says whose it is. */
function keyRecord(lib, plan, partnerId) {
  const generated = lib.generateApiKey('production');
  return {
    key: generated.key,
    record: {
      id: generated.keyId,
      partnerId: partnerId ?? `partner-${generated.keyId.slice(0, 6)}`,
      partnerStatus: 'active',
      keyHash: generated.hash,
      environment: 'production',
      status: 'active',
      productIds: [PRODUCT],
      allowedIps: [],
      plans: {
        [PRODUCT]: plan ?? { plan: 'enterprise', ratePerSecond: 1_000_000 },
      },
    },
  };
}

async function verifyCost(lib, iterations = 200_000) {
  const { key, record } = keyRecord(lib);
  const verifier = new lib.KeyVerifier({
    lookup: new lib.InMemoryKeyLookup([record]),
    ttlMs: 3_600_000,
  });
  const input = {
    headers: { 'x-api-key': key },
    productId: PRODUCT,
    clientIp: '127.0.0.1',
  };
  for (let i = 0; i < 20_000; i++) await verifier.verify(input);
  const time = async fn => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
  };
  const verifyUs = await time(() => verifier.verify(input));
  const cachedUs = await time(() => verifier.verifyCached(input));
  const decodeUs = await time(() => lib.decodeApiKey(key));
  return { verifyUs, cachedUs, decodeUs };
}

async function cleanRedis(prefix) {
  const { Redis } = require('ioredis');
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  const usage = { '2xx': 0, '4xx': 0, '5xx': 0, billable: 0, rate_limited: 0 };
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const key of keys) {
      if (key.startsWith(`${prefix}usage:`)) {
        const fields = await redis.hgetall(key);
        for (const field of Object.keys(usage))
          usage[field] += Number(fields[field] ?? 0);
      }
    }
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  return usage;
}

const fmt = (n, d = 0) =>
  n.toLocaleString('en-US', {
    maximumFractionDigits: d,
    minimumFractionDigits: d,
  });

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The run with the median throughput of several rounds. */
function medianRun(results) {
  const rps = median(results.map(r => r.rps));
  return results.find(r => r.rps === rps);
}

/** CPU µs per request of everything on the request's path. */
function pathCpu(run) {
  return Object.entries(run.cpu)
    .filter(([, us]) => us > 0 && Number.isFinite(us))
    .reduce((sum, [, us]) => sum + us, 0);
}

function printRuns(runs, { cpu: showCpu = true } = {}) {
  const row = cells =>
    [
      cells[0].padEnd(34),
      cells[1].padStart(8),
      cells[2].padStart(7),
      cells[3].padStart(7),
      cells[4].padStart(9),
      cells[5].padStart(9),
      cells[6].padStart(4),
      cells[7].padStart(6),
      cells[8],
    ].join('');
  console.log(
    row([
      'run',
      'req/s',
      'p50 ms',
      'p99 ms',
      '2xx',
      'non-2xx',
      'err',
      'load',
      '  vs baseline (ratio of medians; median of per-round ratios)',
    ]),
  );
  for (const run of runs) {
    const base = run.baseline;
    let vs = '';
    if (base) {
      const delta = run.p99 - base.p99;
      vs = `  ${fmt(run.rps / base.rps, 2)}x req/s, p99 ${
        delta >= 0 ? '+' : ''
      }${fmt(delta)} ms`;
      if (run.roundRatios) {
        vs += `; per round ${fmt(
          median(run.roundRatios),
          2,
        )}x (${run.roundRatios.map(r => fmt(r, 2)).join(' ')})`;
      }
    }
    console.log(
      row([
        run.title,
        fmt(run.rps),
        fmt(run.p50),
        fmt(run.p99),
        fmt(run.ok),
        fmt(run.non2xx),
        fmt(run.errors),
        fmt(run.load, 1),
        vs,
      ]),
    );
  }
  for (const run of runs.filter(r => r.overhead?.count)) {
    console.log(
      `  ${run.title}: time in the gateway before forwarding p50 ${fmt(
        run.overhead.p50 / 1000,
        2,
      )} ms, p99 ${fmt(run.overhead.p99 / 1000, 2)} ms (${fmt(
        run.overhead.count,
      )} calls)`,
    );
  }
  if (!showCpu) return;
  console.log(
    'CPU µs per request, by process (total = everything on the path; ' +
      'CPU ratio = baseline total / this total, the req/s ratio a dedicated box would show):',
  );
  for (const run of runs) {
    const cpu = Object.entries(run.cpu)
      .filter(([, us]) => us >= 0.5)
      .map(([name, us]) => `${name} ${fmt(us)}`)
      .join(', ');
    const total = pathCpu(run);
    const ratio = run.baseline
      ? `, CPU ratio ${fmt(pathCpu(run.baseline) / total, 2)}x`
      : '';
    console.log(
      `  ${run.title.padEnd(32)} ${cpu}; total ${fmt(total)}${ratio}`,
    );
  }
}

async function main() {
  const started = Date.now();
  const duration = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 50);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const fixedRate = Number(process.env.BENCH_RATE ?? 2000);
  const hotSeconds = Number(process.env.BENCH_HOT_SECONDS ?? 10);
  const lib = loadLibrary();
  const prefix = `portico-bench:${Date.now()}:`;
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  const keysFile = join(dir, 'keys.json');

  const single = keyRecord(lib);
  const many = Array.from({ length: 10_000 }, () => keyRecord(lib));
  // The marketplace's shape: 10,000 keys held by 100 partners.
  const fleet = Array.from({ length: 10_000 }, (_, i) =>
    keyRecord(lib, undefined, `fleet-partner-${i % 100}`),
  );
  const hot = keyRecord(lib, { plan: 'starter', ratePerSecond: HOT_RATE });
  writeFileSync(
    keysFile,
    JSON.stringify([
      single.record,
      hot.record,
      ...many.map(k => k.record),
      ...fleet.map(k => k.record),
    ]),
  );

  console.log(
    `Portico gateway benchmark: node scripts/bench-gateway.mjs ${duration} ${connections}` +
      ` (BENCH_ROUNDS=${rounds} BENCH_RATE=${fixedRate} BENCH_HOT_SECONDS=${hotSeconds})`,
  );
  console.log(
    `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${
      process.version
    }, Redis ${REDIS_URL}, load average at start ${loadavg()
      .map(n => n.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${duration}s per run, ${connections} connections, ${rounds} rounds; in each round the baseline and the ` +
      'gateways run back to back. Load generator, upstream, proxies, Redis (and anything else on the box) share the CPUs.',
  );
  console.log(
    `Fair baseline: the bare proxy uses the gateway's undici Pool settings (${JSON.stringify(
      POOL_OPTIONS,
    )}) and the same dispatch-handler technique; it forwards the same request with the key header.`,
  );
  console.log(
    "Mounted = express 4, router.use('/gateway/:productId', handler) under app.use('/api/api-marketplace', router). " +
      'SWR 30 s = KeyVerifier with staleWhileRevalidateMs: 30_000 (default 0): keys in use never wait for a lookup.\n',
  );
  if (process.env.BENCH_PIN) {
    spawnSync('taskset', ['-pc', '1', String(process.pid)]);
    console.log(
      'BENCH_PIN: bare proxy and gateways pinned to CPU 0, load generator and upstream to CPU 1 (Redis and other processes unpinned).\n',
    );
  }
  const upstream = child('upstream');
  const upstreamUrl = await upstream.url();
  const bare = child('bare', upstreamUrl);
  const gateway = child('gateway', upstreamUrl, keysFile, prefix, 'standalone');
  const replica = child('gateway', upstreamUrl, keysFile, prefix, 'standalone');
  const mounted = child('gateway', upstreamUrl, keysFile, prefix, 'mounted');
  const swr = child('gateway', upstreamUrl, keysFile, prefix, 'standalone+swr');
  const path = `/${PRODUCT}/v1/shipments/42`;
  const targets = {
    bare: { url: `${await bare.url()}${path}` },
    gateway: { url: `${await gateway.url()}${path}`, probe: gateway },
    replica: { url: `${await replica.url()}${path}`, probe: replica },
    mounted: {
      url: `${await mounted.url()}/api/api-marketplace/gateway${path}`,
      probe: mounted,
    },
    swr: { url: `${await swr.url()}${path}`, probe: swr },
  };

  const { Redis } = require('ioredis');
  const redisInfo = new Redis(REDIS_URL);
  context = {
    redis: redisInfo,
    pids: {
      upstream: upstream.proc.pid,
      bare: bare.proc.pid,
      gateway: gateway.proc.pid,
      replica: replica.proc.pid,
      mounted: mounted.proc.pid,
      swr: swr.proc.pid,
    },
  };
  const gatewayOk = { count: 0 };
  try {
    // Same request everywhere: the bare proxy just forwards the key header.
    const keyHeader = { 'x-api-key': single.key };
    const rotatingOver = keys => {
      let rotation = 0;
      return req => ({
        ...req,
        headers: {
          ...req.headers,
          'x-api-key': keys[rotation++ % keys.length].key,
        },
      });
    };
    const rotating = rotatingOver(many);
    const rotatingFleet = rotatingOver(fleet);
    for (const target of Object.values(targets)) {
      await cannon('warm-up', target, 2, connections, keyHeader);
    }
    await cannon('warm-up', targets.gateway, 2, connections, rotating);
    await cannon('warm-up', targets.gateway, 2, connections, rotatingFleet);
    await cannon('warm-up', targets.swr, 2, connections, rotating);
    await cannon('warm-up', targets.bare, 1, connections, rotating);

    // [title, target, setup, baseline title]
    const scenarios = [
      ['bare undici proxy', targets.bare, keyHeader],
      ['gateway, 1 key', targets.gateway, keyHeader, 'bare undici proxy'],
      [
        'gateway mounted in express',
        targets.mounted,
        keyHeader,
        'bare undici proxy',
      ],
      ['bare proxy, rotating key header', targets.bare, rotating],
      [
        'gateway, 10,000 keys of 100 partners',
        targets.gateway,
        rotatingFleet,
        'bare proxy, rotating key header',
      ],
      [
        'gateway, 10,000 keys of 10,000 partners',
        targets.gateway,
        rotating,
        'bare proxy, rotating key header',
      ],
      [
        'gateway, 10,000 partners, SWR 30 s',
        targets.swr,
        rotating,
        'bare proxy, rotating key header',
      ],
    ];
    const results = new Map(scenarios.map(([title]) => [title, []]));
    for (let round = 0; round < rounds; round++) {
      // ABBA: every other round runs backwards, so a drift of the box's
      // speed during a round does not always favour the same side of a pair.
      const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
      for (const [title, target, setup] of order) {
        results
          .get(title)
          .push(await cannon(title, target, duration, connections, setup));
      }
    }
    const saturated = scenarios.map(([title, , , baseline]) => {
      const run = medianRun(results.get(title));
      if (baseline) {
        run.baseline = medianRun(results.get(baseline));
        run.roundRatios = results
          .get(title)
          .map((r, i) => r.rps / results.get(baseline)[i].rps);
      }
      return run;
    });
    console.log(
      `== Saturation: as many requests as the box allows (median of ${rounds} rounds)`,
    );
    printRuns(saturated);
    for (const list of results.values()) {
      for (const r of list)
        if (r.title.startsWith('gateway')) gatewayOk.count += r.ok;
    }

    console.log(
      `\n== Fixed rate: ${fmt(
        fixedRate,
      )} req/s over 20 connections (added latency without queueing)`,
    );
    const fixed = [];
    for (const [title, target, setup] of [
      ['bare undici proxy', targets.bare, keyHeader],
      ['gateway, 1 key', targets.gateway, keyHeader],
      ['gateway mounted in express', targets.mounted, keyHeader],
    ]) {
      const rate = { overallRate: fixedRate };
      await cannon('warm-up', target, 1, 20, setup, rate);
      fixed.push(await cannon(title, target, duration, 20, setup, rate));
    }
    fixed[1].baseline = fixed[0];
    fixed[2].baseline = fixed[0];
    printRuns(fixed);
    gatewayOk.count += fixed[1].ok + fixed[2].ok;

    console.log(
      `\n== Hot key: ${HOT_RATE} req/s (burst ${HOT_RATE}) hammered by 200 connections, ` +
        `100 on each of 2 gateway replicas, ${hotSeconds}s`,
    );
    const hotHeader = { 'x-api-key': hot.key };
    const hotStarted = Date.now();
    const hotRuns = await Promise.all([
      cannon('hot key, replica 1', targets.gateway, hotSeconds, 100, hotHeader),
      cannon('hot key, replica 2', targets.replica, hotSeconds, 100, hotHeader),
    ]);
    const hotElapsed = (Date.now() - hotStarted) / 1000;
    const allowed = hotRuns[0].ok + hotRuns[1].ok;
    // What was admitted, from the billable counters once the meters have
    // flushed (every 100 ms): autocannon does not count the answers still in
    // flight when it stops.
    await new Promise(resolve => setTimeout(resolve, 1_000));
    const hotBuckets = await redisInfo.keys(
      `${prefix}usage:{${hot.record.partnerId}}:*`,
    );
    let admitted = 0;
    for (const bucket of hotBuckets) {
      admitted += Number((await redisInfo.hget(bucket, 'billable')) ?? 0);
    }
    const expected = HOT_RATE + HOT_RATE * hotSeconds;
    // Both ran at once: CPU per request is not theirs alone, leave it out.
    printRuns(hotRuns, { cpu: false });
    const deviation = n =>
      `${n >= expected ? '+' : ''}${fmt(
        ((n - expected) / expected) * 100,
        1,
      )}%`;
    console.log(
      `  allowed: ${fmt(allowed)} answered 2xx (replica 1: ${fmt(
        hotRuns[0].ok,
      )}, replica 2: ${fmt(hotRuns[1].ok)}), ${fmt(
        admitted,
      )} admitted (Redis billable count after the meters' flush, incl. answers still in flight at the end)`,
    );
    console.log(
      `  expected: burst ${HOT_RATE} + ${HOT_RATE}/s × ${hotSeconds}s = ${expected}; ` +
        `2xx ${deviation(allowed)}, admitted ${deviation(
          admitted,
        )} (target ±5%); ` +
        `refused ${fmt(
          hotRuns[0].non2xx + hotRuns[1].non2xx,
        )} with 429; autocannon took ${fmt(hotElapsed, 1)}s`,
    );
    gatewayOk.count += allowed;

    const cost = await verifyCost(lib);
    console.log(
      `\n== Key verification from cache: verify() ${fmt(
        cost.verifyUs,
        2,
      )} µs/op, verifyCached() ${fmt(cost.cachedUs, 2)} µs/op ` +
        `(target ≤ 50 µs; a cache miss also checks the checksum: decodeApiKey ${fmt(
          cost.decodeUs,
          2,
        )} µs/op)`,
    );
  } finally {
    const stats = [];
    for (const gw of [gateway, replica, mounted, swr]) {
      gw.proc.kill('SIGTERM');
      stats.push(
        await Promise.race([
          gw.nextLine(),
          new Promise(resolve =>
            setTimeout(() => resolve('STATS (no answer within 15 s)'), 15_000),
          ),
        ]),
      );
    }
    bare.proc.kill('SIGTERM');
    upstream.proc.kill('SIGTERM');
    const usage = await cleanRedis(prefix);
    console.log(
      `\n== Metering: gateway meters on shutdown ${stats
        .map(line => line.replace(/^STATS /, ''))
        .join(' ')}`,
    );
    console.log(
      `  in Redis: 2xx=${fmt(usage['2xx'])} 4xx=${fmt(usage['4xx'])} 5xx=${fmt(
        usage['5xx'],
      )} billable=${fmt(usage.billable)} rate_limited=${fmt(
        usage.rate_limited,
      )}; autocannon saw 2xx=${fmt(
        gatewayOk.count,
      )} + warm-ups (4xx = 499: calls cut off at the end of a run)`,
    );
    console.log(
      `\nLoad average at end ${loadavg()
        .map(n => n.toFixed(2))
        .join(' ')}; total ${fmt((Date.now() - started) / 1000)} s`,
    );
    await redisInfo.quit();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [role, ...args] = process.argv.slice(2);
if (role === 'upstream') await runUpstream();
else if (role === 'bare') await runBareProxy(...args);
else if (role === 'gateway') await runGateway(...args);
else await main();
