#!/usr/bin/env node
/*
 * Gateway benchmark (not a test). Compares a bare undici proxy with the
 * Portico gateway (key verification, Redis rate limiting/quota, metering,
 * signing) in front of the same tiny JSON upstream.
 *
 *   cd plugins/api-marketplace-node && node scripts/bench-gateway.mjs [seconds] [connections]
 *
 * Needs Redis (BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING or
 * redis://127.0.0.1:6379). Upstream, bare proxy and gateway each run in their
 * own child process; autocannon drives them from this one. Everything shares
 * the machine's cores, so read the ratios rather than the absolute numbers.
 */
import { spawn } from 'node:child_process';
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

/** Loads the package's TypeScript sources through the Backstage transform. */
function loadLibrary() {
  require('@backstage/cli/config/nodeTransform.cjs');
  return require('../src/index.ts');
}

function ready(port) {
  // Exit cleanly on SIGTERM so that --cpu-prof can write its profile.
  process.once('SIGTERM', () => process.exit(0));
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
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

async function runBareProxy(upstreamUrl) {
  const http = await import('node:http');
  const { Pool } = require('undici');
  const pool = new Pool(upstreamUrl, { keepAliveTimeout: 60_000 });
  const server = http.createServer((req, res) => {
    pool
      .stream(
        { path: req.url, method: req.method, headers: req.headers, body: null },
        ({ statusCode, headers }) => {
          res.writeHead(statusCode, headers);
          return res;
        },
      )
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

async function runGateway(upstreamUrl, keysFile, prefix) {
  const http = await import('node:http');
  const lib = loadLibrary();
  const records = JSON.parse(readFileSync(keysFile, 'utf8'));
  const client = lib.createGatewayRedis(REDIS_URL);
  await lib.waitForRedis(client);
  const bus = lib.RedisRevocationBus.create({ url: REDIS_URL, prefix });
  const verifier = new lib.KeyVerifier({
    lookup: new lib.InMemoryKeyLookup(records),
    bus,
    maxEntries: 20_000,
  });
  const meter = new lib.UsageMeter({
    sink: new lib.RedisUsageStore(client, { prefix }),
  });
  // Profiling aids: BENCH_LIMITER=memory, BENCH_METER=off isolate their cost.
  const limiter =
    process.env.BENCH_LIMITER === 'memory'
      ? new lib.InMemoryRateLimiter()
      : new lib.FailoverRateLimiter(
          new lib.RedisRateLimiter(client, { prefix }),
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
  const server = http.createServer(handler);
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
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`READY ${server.address().port}\n`),
  );
}

// ------------------------------------------------------------ orchestrator

function child(role, ...args) {
  // e.g. BENCH_GATEWAY_FLAGS=--cpu-prof to profile the gateway process.
  const flags =
    role === 'gateway' && process.env.BENCH_GATEWAY_FLAGS
      ? process.env.BENCH_GATEWAY_FLAGS.split(' ')
      : [];
  const proc = spawn(process.execPath, [...flags, SCRIPT, role, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
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
      for (const waiter of waiters.splice(0)) waiter(line);
    }
  });
  const nextLine = () => new Promise(resolve => waiters.push(resolve));
  return {
    proc,
    nextLine,
    async port() {
      const line = await nextLine();
      if (!line.startsWith('READY ')) throw new Error(`${role}: ${line}`);
      return Number(line.slice(6));
    },
  };
}

const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by each process of the benchmark (Linux /proc). */
async function cpuSnapshot(processes, redis) {
  const out = {
    loadgen: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
  };
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

let cpuContext;

/**
 * `setup` is either static headers (autocannon builds the request once) or a
 * per-request function (needed to rotate keys, and costs the load generator
 * CPU on this same machine).
 */
/** Asks the gateway for its forwarding overhead (µs) since the last ask. */
async function probeOverhead(gateway) {
  const line = gateway.nextLine();
  gateway.proc.kill('SIGUSR2');
  return JSON.parse((await line).replace(/^OVERHEAD /, ''));
}

async function cannon(title, url, duration, connections, setup, extra = {}) {
  const autocannon = require('autocannon');
  const probe = cpuContext?.gateway && url.startsWith(cpuContext.gatewayUrl);
  if (probe) await probeOverhead(cpuContext.gateway);
  const before = cpuContext
    ? await cpuSnapshot(cpuContext.pids, cpuContext.redis)
    : undefined;
  const options = {
    url,
    connections,
    duration,
    pipelining: 1,
    ...extra,
    ...(typeof setup === 'function'
      ? { requests: [{ setupRequest: setup }] }
      : {}),
    ...(typeof setup === 'object' ? { headers: setup } : {}),
  };
  const result = await autocannon(options);
  const overhead = probe ? await probeOverhead(cpuContext.gateway) : undefined;
  let cpu;
  if (before) {
    const after = await cpuSnapshot(cpuContext.pids, cpuContext.redis);
    const total = result.requests.total || 1;
    cpu = Object.fromEntries(
      Object.keys(after).map(name => [
        name,
        ((after[name] - before[name]) * 1e6) / total,
      ]),
    );
  }
  return {
    cpu,
    overhead,
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function keyRecord(lib, overrides = {}) {
  const generated = lib.generateApiKey('production');
  return {
    key: generated.key,
    record: {
      id: generated.keyId,
      partnerId: `partner-${generated.keyId.slice(0, 6)}`,
      partnerStatus: 'active',
      keyHash: generated.hash,
      environment: 'production',
      status: 'active',
      productIds: [PRODUCT],
      allowedIps: [],
      plans: { [PRODUCT]: { plan: 'enterprise', ratePerSecond: 1_000_000 } },
      ...overrides,
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
  let start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await verifier.verify(input);
  const verifyUs = Number(process.hrtime.bigint() - start) / 1e3 / iterations;
  start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) lib.decodeApiKey(key);
  const decodeUs = Number(process.hrtime.bigint() - start) / 1e3 / iterations;
  return { verifyUs, decodeUs };
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

function printRuns(runs) {
  const row = cells =>
    [
      cells[0].padEnd(36),
      cells[1].padStart(9),
      cells[2].padStart(8),
      cells[3].padStart(8),
      cells[4].padStart(10),
      cells[5].padStart(9),
      cells[6].padStart(5),
      cells[7],
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
      '  vs baseline',
    ]),
  );
  for (const run of runs) {
    const base = run.baseline;
    const delta = base ? run.p99 - base.p99 : 0;
    const vs = base
      ? `  ${fmt(run.rps / base.rps, 2)}x req/s, p99 ${
          delta >= 0 ? '+' : ''
        }${fmt(delta)} ms`
      : '';
    console.log(
      row([
        run.title,
        fmt(run.rps),
        fmt(run.p50),
        fmt(run.p99),
        fmt(run.ok),
        fmt(run.non2xx),
        fmt(run.errors),
        vs,
      ]),
    );
  }
  for (const run of runs.filter(r => r.overhead?.count)) {
    console.log(
      `  ${run.title}: time in the gateway before forwarding p50 ${fmt(
        run.overhead.p50 / 1000,
        2,
      )} ms, ` +
        `p99 ${fmt(run.overhead.p99 / 1000, 2)} ms (${fmt(
          run.overhead.count,
        )} calls)`,
    );
  }
  console.log('CPU µs per request, by process:');
  for (const run of runs) {
    const cpu = Object.entries(run.cpu)
      .filter(([, us]) => us >= 0.5)
      .map(([name, us]) => `${name} ${fmt(us)}`)
      .join(', ');
    console.log(`  ${run.title.padEnd(34)} ${cpu}`);
  }
}

async function main() {
  const duration = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 50);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const fixedRate = Number(process.env.BENCH_RATE ?? 2000);
  const lib = loadLibrary();
  const prefix = `portico-bench:${Date.now()}:`;
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  const keysFile = join(dir, 'keys.json');

  const single = keyRecord(lib);
  const many = Array.from({ length: 10_000 }, () => keyRecord(lib));
  const hot = keyRecord(lib, {
    plans: { [PRODUCT]: { plan: 'free', ratePerSecond: 100 } },
  });
  writeFileSync(
    keysFile,
    JSON.stringify([single.record, hot.record, ...many.map(k => k.record)]),
  );

  console.log(
    `Portico gateway benchmark: ${duration}s per run, ${connections} connections, ` +
      `median of ${rounds} rounds, ${cpus().length} CPUs (${
        cpus()[0]?.model ?? '?'
      }), ` +
      `Node ${process.version}, Redis ${REDIS_URL}, load average ${loadavg()
        .map(n => n.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    'Upstream, bare proxy, gateway, Redis and the load generator share these CPUs.\n',
  );
  const upstream = child('upstream');
  const upstreamUrl = `http://127.0.0.1:${await upstream.port()}`;
  const bare = child('bare', upstreamUrl);
  const bareUrl = `http://127.0.0.1:${await bare.port()}`;
  const gateway = child('gateway', upstreamUrl, keysFile, prefix);
  const gatewayUrl = `http://127.0.0.1:${await gateway.port()}`;
  const path = `/${PRODUCT}/v1/shipments/42`;

  const { Redis } = require('ioredis');
  const redisInfo = new Redis(REDIS_URL);
  cpuContext = {
    gateway,
    gatewayUrl,
    redis: redisInfo,
    pids: {
      upstream: upstream.proc.pid,
      bare: bare.proc.pid,
      gateway: gateway.proc.pid,
    },
  };
  let gatewayOk = 0;
  try {
    // Same request everywhere: the bare proxy just forwards the key header.
    const keyHeader = { 'x-api-key': single.key };
    let rotation = 0;
    const rotating = req => ({
      ...req,
      headers: {
        ...req.headers,
        'x-api-key': many[rotation++ % many.length].key,
      },
    });
    await cannon('warm-up', `${bareUrl}${path}`, 2, connections, keyHeader);
    await cannon('warm-up', `${gatewayUrl}${path}`, 2, connections, keyHeader);
    await cannon('warm-up', `${gatewayUrl}${path}`, 2, connections, rotating);

    const scenarios = [
      ['upstream direct', upstreamUrl, keyHeader],
      ['bare undici proxy', bareUrl, keyHeader],
      ['gateway, 1 key', gatewayUrl, keyHeader],
      ['bare proxy, rotating key header', bareUrl, rotating],
      ['gateway, 10,000 keys', gatewayUrl, rotating],
    ];
    const results = new Map(scenarios.map(([title]) => [title, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [title, url, setup] of scenarios) {
        results
          .get(title)
          .push(
            await cannon(title, `${url}${path}`, duration, connections, setup),
          );
      }
    }
    const saturated = scenarios.map(([title]) => medianRun(results.get(title)));
    saturated[2].baseline = saturated[1];
    saturated[4].baseline = saturated[3];
    console.log('== Saturation (as many requests as the box allows)');
    printRuns(saturated);

    console.log(
      `\n== Fixed rate: ${fmt(
        fixedRate,
      )} req/s, 20 connections (added latency without queueing)`,
    );
    const fixed = [];
    for (const [title, url, setup] of [
      ['bare undici proxy', bareUrl, keyHeader],
      ['gateway, 1 key', gatewayUrl, keyHeader],
      ['bare proxy, rotating key header', bareUrl, rotating],
      ['gateway, 10,000 keys', gatewayUrl, rotating],
    ]) {
      const rate = { overallRate: fixedRate };
      await cannon('warm-up', `${url}${path}`, 1, 20, setup, rate);
      fixed.push(
        await cannon(title, `${url}${path}`, duration, 20, setup, rate),
      );
    }
    fixed[1].baseline = fixed[0];
    fixed[3].baseline = fixed[2];
    printRuns(fixed);

    console.log('\n== Hot key over its limit (free plan, 100 req/s)');
    const hotRun = await cannon(
      'gateway, hot key',
      `${gatewayUrl}${path}`,
      duration,
      connections,
      {
        'x-api-key': hot.key,
      },
    );
    hotRun.baseline = saturated[1];
    printRuns([hotRun]);
    console.log(
      `  allowed ${fmt(
        hotRun.ok,
      )} in ${duration}s ≈ burst 100 + 100/s × ${duration}s = ${fmt(
        100 + 100 * duration,
      )}` +
        ' (the limit is shared through Redis, so this holds across replicas)',
    );

    gatewayOk =
      [...results.entries()]
        .filter(([title]) => title.startsWith('gateway'))
        .reduce((n, [, list]) => n + list.reduce((m, r) => m + r.ok, 0), 0) +
      fixed[1].ok +
      fixed[3].ok +
      hotRun.ok;

    const cost = await verifyCost(lib);
    console.log(
      `\n== Key verification from cache: ${fmt(cost.verifyUs, 2)} µs/op ` +
        `(of which format + checksum + sha256: ${fmt(cost.decodeUs, 2)} µs/op)`,
    );
  } finally {
    gateway.proc.kill('SIGTERM');
    const stats = await Promise.race([
      gateway.nextLine(),
      new Promise(resolve =>
        setTimeout(() => resolve('STATS (no answer within 15 s)'), 15_000),
      ),
    ]);
    bare.proc.kill('SIGTERM');
    upstream.proc.kill('SIGTERM');
    const usage = await cleanRedis(prefix);
    console.log(
      `\n== Metering: gateway meter on shutdown ${stats.replace(
        /^STATS /,
        '',
      )}`,
    );
    console.log(
      `  in Redis: 2xx=${fmt(usage['2xx'])} 4xx=${fmt(usage['4xx'])} 5xx=${fmt(
        usage['5xx'],
      )} ` +
        `billable=${fmt(usage.billable)} rate_limited=${fmt(
          usage.rate_limited,
        )}; ` +
        `autocannon saw 2xx=${fmt(
          gatewayOk,
        )} + warm-ups (4xx = 499: calls cut off at the end of a run)`,
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
