#!/usr/bin/env node
/*
 * Key verification benchmark (not a test). Measures the targets,
 * key verification from the database ≤ 5 ms (PostgreSQL) and from cache
 * ≤ 50 µs, on the production classes: the node library's `KeyVerifier` over
 * the backend's `DatabaseKeyLookup`, against a throwaway database with the
 * backend's migrations, seeded through `PartnerStore`, `SubscriptionStore`
 * and `KeyStore` with keys from `generateApiKey`:
 *
 *   - cache misses: every key verified once by a verifier with a cold cache,
 *     one at a time and with 50 verifications in flight;
 *   - an unknown key id (well-formed, valid checksum): the database answers
 *     "no such key";
 *   - cache hits, µs/op.
 *
 *   cd plugins/api-marketplace-backend && node scripts/bench-verify.mjs [keys]
 *
 * Env: BENCH_POSTGRES (server to create the database on, default
 * postgresql://postgres@127.0.0.1:5432), BENCH_PARTNERS (20),
 * BENCH_CONCURRENCY (50). The database `portico_bench_<timestamp>` is
 * dropped at the end. The seeded tables fit in shared_buffers, as a hot key
 * table does in production: this measures round trips and query work, not
 * disk. A local PostgreSQL shares this machine's cores with the benchmark.
 */
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const SERVER =
  process.env.BENCH_POSTGRES ?? 'postgresql://postgres@127.0.0.1:5432';
const KEYS = Number(process.argv[2] ?? 2_000);
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const DB_TARGET_MS = 5;
const CACHE_TARGET_US = 50;

/** Loads the TypeScript sources through the Backstage transform. */
function loadSources() {
  require('@backstage/cli/config/nodeTransform.cjs');
  return {
    ...require('@portico/plugin-api-marketplace-node'),
    ...require('../src/gateway/DatabaseKeyLookup.ts'),
    ...require('../src/database/migrations.ts'),
    ...require('../src/database/PartnerStore.ts'),
    ...require('../src/database/SubscriptionStore.ts'),
    ...require('../src/database/KeyStore.ts'),
  };
}

const paid = (monthlyPrice, ratePerSecond) => ({
  monthlyPrice,
  includedCalls: 100_000,
  overagePer1000: 0.5,
  ratePerSecond,
});
const pricing = {
  free: { monthlyQuota: 1_000, ratePerSecond: 5 },
  starter: paid(49, 25),
  enterprise: paid(499, 200),
};
/**
 * Published products, as `ProductService.get` serves them once loaded (an
 * in-memory map): the lookup's cost is then the database's.
 */
const PRODUCTS = new Map(
  ['tracking', 'rates', 'labels'].map(id => [
    id,
    { pricing, baseUrl: `https://${id}.upstream.example` },
  ]),
);
const PLANS = ['free', 'starter', 'enterprise'];

/** Each partner subscribes to 1–3 products on various plans; keys cover them all. */
async function seed(lib, db) {
  const partners = new lib.PartnerStore(db);
  const subscriptions = new lib.SubscriptionStore(db);
  const keys = new lib.KeyStore(db);
  const ids = [...PRODUCTS.keys()];
  const plan = [];
  for (let p = 0; p < PARTNERS; p++) {
    const partner = await partners.create({
      name: `Bench partner ${p}`,
      billingEmail: `billing-${p}@partner.example`,
      ownerRef: `user:default/bench-${p}`,
    });
    const productIds = ids.slice(0, 1 + (p % ids.length));
    for (const [i, productId] of productIds.entries()) {
      await subscriptions.create({
        partnerId: partner.id,
        productId,
        plan: PLANS[(p + i) % PLANS.length],
        status: 'active',
      });
    }
    plan.push({ partnerId: partner.id, productIds });
  }
  const seeded = [];
  // Inserted 50 at a time: seeding is not what is measured.
  for (let start = 0; start < KEYS; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, KEYS - start) }, async (_, i) => {
        const { partnerId, productIds } = plan[(start + i) % PARTNERS];
        const generated = lib.generateApiKey('production');
        await keys.insert({
          id: generated.keyId,
          partnerId,
          name: `bench key ${start + i}`,
          prefix: generated.prefix,
          keyHash: generated.hash,
          environment: 'production',
          productIds,
          allowedIps: [],
          createdBy: 'user:default/bench',
        });
        seeded.push(generated.key);
      }),
    );
  }
  // What autovacuum would do soon enough: the planner gets real statistics.
  await db.raw('ANALYZE');
  // Inputs built once: the gateway hands the verifier the request's headers.
  return seeded.map(key => ({
    headers: { 'x-api-key': key },
    productId: 'tracking',
    clientIp: '203.0.113.7',
  }));
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function summary(ms) {
  const sorted = Float64Array.from(ms).sort();
  return {
    n: sorted.length,
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/**
 * Verifies every input once with `concurrency` calls in flight, timing each
 * call: under concurrency that includes waiting for a pooled connection and
 * for a core, as a request would. Also this process's CPU time per call
 * (knex, pg's row parsing): the part of the cost that is not PostgreSQL's.
 */
async function timeEach(verifier, inputs, concurrency, expectOk) {
  const ms = new Array(inputs.length);
  let next = 0;
  let wrong = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < inputs.length; i = next++) {
        const start = performance.now();
        const result = await verifier.verify(inputs[i]);
        ms[i] = performance.now() - start;
        if (result.ok !== expectOk) wrong++;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  if (wrong) throw new Error(`${wrong} verifications gave the wrong verdict`);
  return {
    ...summary(ms),
    perSecond: (inputs.length / elapsed) * 1000,
    cpuUs: (user + system) / inputs.length,
  };
}

/** Mean µs/op of `fn` over `iterations`, after a warm-up for the JIT. */
async function usPerOp(fn, iterations) {
  for (let i = 0; i < 20_000; i++) await fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
}

const verdict = ok => (ok ? 'met' : 'NOT met');

/** One line of the table: a title, then right-aligned columns. */
function line(title, cells, widths = [6, 7, 7, 7, 7, 7, 9, 7]) {
  return `  ${title.padEnd(30)}${cells
    .map((cell, i) => String(cell).padStart(widths[i]))
    .join('')}`;
}

function row(title, s) {
  const ms = [s.mean, s.p50, s.p95, s.p99, s.max].map(v => v.toFixed(2));
  const cells = [s.n, ...ms, s.perSecond.toFixed(0), s.cpuUs.toFixed(0)];
  const met = verdict(s.p99 <= DB_TARGET_MS);
  console.log(`${line(title, cells)}  p99 ≤ ${DB_TARGET_MS} ms: ${met}`);
}

async function main() {
  const lib = loadSources();
  const knex = require('knex');
  const name = `portico_bench_${Date.now()}`;
  const url = new URL(SERVER);
  const admin = knex({ client: 'pg', connection: url.href });
  await admin.raw(`CREATE DATABASE ??`, [name]);
  url.pathname = `/${name}`;
  // Knex's default pool (2–10 connections), as a Backstage plugin gets it.
  const db = knex({ client: 'pg', connection: url.href });
  try {
    const { rows } = await db.raw('SHOW server_version');
    console.log(
      `PostgreSQL ${rows[0].server_version} at ${url.host}, database ${name}; ` +
        `Node ${process.version}; load average ${loadavg()[0].toFixed(2)}`,
    );
    const started = performance.now();
    await lib.applyDatabaseMigrations(db);
    const inputs = await seed(lib, db);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Migrated and seeded ${inputs.length} active keys for ${PARTNERS} ` +
        `partners (1–3 product subscriptions each) in ${seconds} s`,
    );

    const lookup = new lib.DatabaseKeyLookup(db, {
      get: async id => PRODUCTS.get(id),
    });
    // As the data plane builds it (default TTLs and cache size), minus the bus.
    const cold = () => new lib.KeyVerifier({ lookup });
    // Warm-up (JIT, the pool's connections) on a throwaway cache.
    await timeEach(cold(), inputs.slice(0, 500), CONCURRENCY, true);

    // The floor under any lookup: one round trip to this server.
    const ping = [];
    for (let i = 0; i < 1_000; i++) {
      const start = performance.now();
      await db.raw('SELECT 1');
      ping.push(performance.now() - start);
    }
    const unknown = Array.from({ length: 1_000 }, () => ({
      headers: { 'x-api-key': lib.generateApiKey('production').key },
      productId: 'tracking',
      clientIp: '203.0.113.7',
    }));
    const sequential = await timeEach(cold(), inputs, 1, true);
    const concurrent = await timeEach(cold(), inputs, CONCURRENCY, true);
    const invalid = await timeEach(cold(), unknown, 1, false);

    console.log('\n== Key verification from the database (cache miss), ms');
    console.log(
      line('', ['n', 'mean', 'p50', 'p95', 'p99', 'max', 'verify/s', 'cpu µs']),
    );
    row('each key once, sequential', sequential);
    row(`each key once, ${CONCURRENCY} in flight`, concurrent);
    row('unknown key id, sequential', invalid);
    const p = summary(ping);
    const [p50, p99] = [p.p50, p.p99].map(v => v.toFixed(3));
    console.log(
      `  floor: a SELECT 1 round trip, p50 ${p50} ms, p99 ${p99} ms; ` +
        `cpu µs: this process's CPU per verification`,
    );
    // Little's law: once saturated, the latency is time spent queueing.
    const { perSecond } = concurrent;
    const queued = ((CONCURRENCY / perSecond) * 1000).toFixed(1);
    console.log(
      `  ${CONCURRENCY} in flight: ${CONCURRENCY} / ${perSecond.toFixed(0)} ` +
        `verify/s = ${queued} ms, waiting for one of ${db.client.pool.max} ` +
        `pooled connections and ${availableParallelism()} cores shared with PostgreSQL`,
    );

    // A TTL longer than the run: every call below is a hit.
    const warm = new lib.KeyVerifier({ lookup, ttlMs: 3_600_000 });
    await timeEach(warm, inputs, CONCURRENCY, true);
    if (warm.verifyCached(inputs[0])?.ok !== true) {
      throw new Error('the warm cache does not answer');
    }
    // Round robin over every cached key, not one hot entry.
    const n = inputs.length;
    const verifyUs = await usPerOp(i => warm.verify(inputs[i % n]), 200_000);
    const cachedUs = await usPerOp(
      i => warm.verifyCached(inputs[i % n]),
      200_000,
    );
    const cacheMet = verdict(verifyUs <= CACHE_TARGET_US);
    console.log(
      `\n== Key verification from cache (${n} keys cached, round robin): ` +
        `verify() ${verifyUs.toFixed(2)} µs/op, ` +
        `verifyCached() ${cachedUs.toFixed(2)} µs/op; ` +
        `≤ ${CACHE_TARGET_US} µs: ${cacheMet}`,
    );

    const dbMet = verdict(sequential.p99 <= DB_TARGET_MS);
    const loadedMet = verdict(concurrent.p99 <= DB_TARGET_MS);
    console.log(
      `\n== Targets: from the database ≤ ${DB_TARGET_MS} ms (p99, sequential): ` +
        `${dbMet}; with ${CONCURRENCY} in flight: ${loadedMet}; ` +
        `from cache ≤ ${CACHE_TARGET_US} µs: ${cacheMet}`,
    );
  } finally {
    await db.destroy();
    // FORCE: a connection left by a failed run must not keep it alive.
    await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [name]);
    await admin.destroy();
    console.log(`Dropped ${name}; load average ${loadavg()[0].toFixed(2)}`);
  }
}

await main();
