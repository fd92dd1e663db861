import type { Knex } from 'knex';
import { Redis } from 'ioredis';
import { Client } from 'undici';
import {
  UsageRollupJob,
  UsageRollupResult,
} from '@portico/plugin-api-marketplace-backend';
import {
  RedisUsageStore,
  parseUsageKey,
} from '@portico/plugin-api-marketplace-node';
import {
  TcpProxy,
  deleteTestKeys,
  eventually,
  testPrefix,
  testRedisUrl,
} from '@portico/plugin-api-marketplace-node/testUtils';
import { createPostgresDatabases } from './__testUtils__/env';
import {
  TEST_TOKEN,
  startTestGateway,
  testSettings,
} from './__testUtils__/gateways';
import { migrateMarketplaceDatabase, seedPartner } from './__testUtils__/seed';
import { fakeBackend, recordingUpstream } from './__testUtils__/servers';
import type { Gateway, ShutdownReport } from './createGateway';

/**
 * The no-loss scenario at test size (the 100,000-call version with
 * kill -9 and AOF restarts is `scripts/scenarios/metering.mjs`): calls from
 * concurrent clients over two replicas while one restarts gracefully and
 * Redis is unreachable for seconds; afterwards the backend's rollup job's
 * rows plus the live counters equal the calls the upstream saw, exactly.
 */

const CALLS = 3_000;
const CLIENTS = 16;
const REDIS_OUTAGE_MS = 3_000;
const BILLABLE_CLASSES = ['2xx', '3xx', '4xx', '5xx'];

const databases = createPostgresDatabases();
jest.setTimeout(120_000);

interface Replica {
  name: string;
  gateway?: Gateway;
  url?: string;
  stops: ShutdownReport[];
}

/** Round robin over the replicas that are up; a refused call is retried on another, like a load balancer. */
async function drive(
  replicas: Replica[],
  key: string,
  onProgress: (completed: number) => void,
) {
  const statuses: Record<number, number> = {};
  let issued = 0;
  let completed = 0;
  let turn = 0;
  const all = new Set<Client>();
  /** Each client has its own keep-alive connection to each replica. */
  async function worker() {
    const clients = new Map<string, Client>();
    const clientFor = (url: string) => {
      let client = clients.get(url);
      if (!client) {
        client = new Client(url);
        clients.set(url, client);
        all.add(client);
      }
      return client;
    };
    while (issued < CALLS) {
      issued++;
      for (;;) {
        const replica = replicas[turn++ % replicas.length];
        const url = replica.url;
        if (!url) {
          await new Promise(resolve => setTimeout(resolve, 5));
          continue;
        }
        try {
          const response = await clientFor(url).request({
            // The upstream takes 5 ms: a restarting replica has calls to drain.
            path: '/gateway/tracking/v1/slow/5',
            method: 'GET',
            headers: { authorization: `Bearer ${key}` },
          });
          await response.body.dump();
          statuses[response.statusCode] =
            (statuses[response.statusCode] ?? 0) + 1;
          completed++;
          onProgress(completed);
          break;
        } catch {
          // The replica went away between pick and call: try another.
          clients.delete(url);
        }
      }
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  await Promise.all([...all].map(client => client.destroy()));
  return { statuses, completed };
}

/** Billable calls and calls of a partner's buckets in Redis that are not rolled up yet. */
async function liveUsage(
  redis: Redis,
  prefix: string,
  partnerId: string,
): Promise<{ billable: number; calls: number }> {
  const keys = await redis.keys(`${prefix}usage:{${partnerId}}:*`);
  const live = { billable: 0, calls: 0 };
  for (const key of keys) {
    expect(parseUsageKey(prefix, key)?.partnerId).toBe(partnerId);
    const fields = await redis.hgetall(key);
    if (fields._rolled !== undefined) continue;
    live.billable += Number(fields.billable ?? 0);
    for (const field of BILLABLE_CLASSES) {
      live.calls += Number(fields[field] ?? 0);
    }
  }
  return live;
}

async function storedUsage(knex: Knex, partnerId: string) {
  const rows = await knex('usage_rollups')
    .where({ partner_id: partnerId, granularity: 'minute' })
    .select('calls', 'billable_calls');
  return {
    billable: rows.reduce((sum, row) => sum + Number(row.billable_calls), 0),
    calls: rows.reduce((sum, row) => sum + Number(row.calls), 0),
  };
}

describe('no metering loss', () => {
  let knex: Knex;
  let redis: Redis;
  let proxy: TcpProxy;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await migrateMarketplaceDatabase(knex);
    redis = new Redis(testRedisUrl());
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await deleteTestKeys();
  });

  afterAll(async () => {
    redis.disconnect();
  });

  it('rollups + live counters = calls the upstream saw, across a graceful restart and a Redis outage', async () => {
    const prefix = testPrefix();
    proxy = await TcpProxy.start(testRedisUrl());
    cleanup.push(() => proxy.down());
    const upstream = await recordingUpstream();
    cleanup.push(() => upstream.close());
    const backend = await fakeBackend({
      token: TEST_TOKEN,
      products: [{ id: 'tracking', baseUrl: upstream.url }],
    });
    cleanup.push(() => backend.close());
    const partner = await seedPartner(knex, {
      plans: { tracking: 'enterprise' },
    });
    const settings = testSettings({
      backendBaseUrl: backend.url,
      keyPrefix: prefix,
      redis: { url: proxy.url, prefix },
    });
    const replicas: Replica[] = [
      { name: 'a', stops: [] },
      { name: 'b', stops: [] },
    ];
    const start = async (replica: Replica) => {
      const started = await startTestGateway(knex, settings, {
        meterFlushIntervalMs: 50,
      });
      replica.gateway = started.gateway;
      replica.url = started.url;
    };
    const stop = async (replica: Replica) => {
      const gateway = replica.gateway!;
      replica.url = undefined;
      replica.gateway = undefined;
      replica.stops.push(await gateway.shutdown('test'));
    };
    await Promise.all(replicas.map(start));
    cleanup.push(async () => {
      for (const replica of replicas) if (replica.gateway) await stop(replica);
    });

    /** Meter batches a replica could not write during the outage, at most. */
    let unwrittenDuringOutage = 0;
    const outage = async () => {
      await proxy.down();
      const until = Date.now() + REDIS_OUTAGE_MS;
      while (Date.now() < until) {
        for (const { gateway } of replicas) {
          unwrittenDuringOutage = Math.max(
            unwrittenDuringOutage,
            gateway?.meter.stats.pendingBatches ?? 0,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      await proxy.up();
    };
    /** A graceful restart of replica a while it has calls in flight to drain. */
    const restart = async () => {
      let stopping: Promise<void> | undefined;
      await eventually(() => {
        // Checked and stopped in one turn: those calls are still in flight.
        if (!replicas[0].gateway?.stats.active) return false;
        stopping = stop(replicas[0]);
        return true;
      }, 10_000);
      await stopping;
      await start(replicas[0]);
    };
    const events: Promise<void>[] = [];
    let restarted = false;
    let cut = false;
    const outcome = await drive(replicas, partner.key, completed => {
      if (!restarted && completed >= CALLS / 4) {
        restarted = true;
        events.push(restart());
      }
      if (!cut && completed >= CALLS / 2) {
        cut = true;
        events.push(outage());
      }
    });
    await Promise.all(events);

    // Every call was served, the ones during the outage too (cached keys,
    // limits on each replica), and Redis really was cut: meter batches
    // piled up unwritten.
    expect(outcome).toEqual({ statuses: { 200: CALLS }, completed: CALLS });
    expect(unwrittenDuringOutage).toBeGreaterThanOrEqual(3);
    // Meter writes buffered during the outage are replayed once Redis is back.
    await eventually(
      () =>
        replicas.every(
          r =>
            r.gateway!.meter.stats.bufferedRows === 0 &&
            r.gateway!.meter.stats.pendingBatches === 0,
        ),
      15_000,
    );
    for (const replica of replicas) await stop(replica);
    const stops = replicas.flatMap(r => r.stops);
    expect(stops).toHaveLength(3);
    for (const report of stops) {
      expect(report).toMatchObject({ unflushedRows: 0, forced: 0 });
    }
    expect(stops[0].drained).toBeGreaterThan(0);

    const seen = upstream.seen.filter(
      request => request.headers['x-portico-partner'] === partner.partnerId,
    ).length;
    // More only if a call reached the upstream and its answer was lost
    // (then the client retried it): metered or not, it counts below.
    expect(seen).toBeGreaterThanOrEqual(CALLS);

    // The backend's rollup job as its scheduled task runs it: closed minutes
    // into the database; the minute still open stays in the live counters.
    const reader = new RedisUsageStore(redis, { prefix });
    const rollup = (now: number): Promise<UsageRollupResult> =>
      UsageRollupJob.create({
        reader,
        database: knex,
        logger: { info() {}, warn() {}, debug() {} },
        closeDelayMs: 0,
        now: () => now,
      }).run();
    await rollup(Date.now());
    const stored = await storedUsage(knex, partner.partnerId);
    const live = await liveUsage(redis, prefix, partner.partnerId);
    expect(stored.billable + live.billable).toBe(seen);
    expect(stored.calls + live.calls).toBe(seen);

    // Once every minute is closed, the database alone has them all, and a
    // second run (a crash before the marks, or a second backend) adds nothing.
    const later = Date.now() + 120_000;
    const closing = await rollup(later);
    const again = await rollup(later);
    expect(closing.marked).toBe(closing.buckets);
    expect(again).toEqual({ buckets: 0, marked: 0 });
    expect(await storedUsage(knex, partner.partnerId)).toEqual({
      billable: seen,
      calls: seen,
    });
    expect(await liveUsage(redis, prefix, partner.partnerId)).toEqual({
      billable: 0,
      calls: 0,
    });
  });
});
