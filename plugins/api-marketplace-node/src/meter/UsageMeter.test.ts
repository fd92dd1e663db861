import { Redis } from 'ioredis';
import { FailoverRateLimiter } from '../limit/FailoverRateLimiter';
import { InMemoryRateLimiter } from '../limit/InMemoryRateLimiter';
import { RedisRateLimiter } from '../limit/RedisRateLimiter';
import { monthOf, quotaKey, usageKey } from '../keyspace';
import { createGatewayRedis, waitForRedis } from '../redis';
import { deleteTestKeys, eventually, testPrefix } from '../testUtils/fixtures';
import { TcpProxy } from '../testUtils/tcpProxy';
import { InMemoryUsageStore } from './InMemoryUsageStore';
import { RedisUsageStore } from './RedisUsageStore';
import { testRedisUrl } from '../testUtils/testRedis';
import { UsageMeter } from './UsageMeter';
import type { MeterBatch, MeteredCall } from './usageTypes';

// Leave nothing behind in the shared Redis.
afterAll(deleteTestKeys);

const MINUTE = Math.floor(Date.now() / 60_000) * 60_000;
const dims = {
  partnerId: 'partner-a',
  productId: 'tracking',
  environment: 'production' as const,
};

/** The minute bucket of `dims` (or another partner or minute) under a test prefix. */
function bucketKey(
  prefix: string,
  at: { partnerId?: string; minute?: number } = {},
): string {
  return usageKey(
    prefix,
    at.partnerId ?? dims.partnerId,
    dims.productId,
    dims.environment,
    at.minute ?? MINUTE,
  );
}

/** The monthly quota counter of `dims` under a test prefix. */
function quotaCounterKey(prefix: string): string {
  return quotaKey(
    prefix,
    dims.partnerId,
    dims.productId,
    dims.environment,
    monthOf(MINUTE).id,
  );
}

function call(status: number, extra: Partial<MeteredCall> = {}): MeteredCall {
  return {
    ...dims,
    at: MINUTE + 1000,
    status,
    latencyMs: 12,
    quotaCounted: true,
    hasQuota: false,
    ...extra,
  };
}

describe('UsageMeter on Redis', () => {
  const redis = new Redis(testRedisUrl());
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function connect(url = testRedisUrl()) {
    const client = createGatewayRedis(url, { commandTimeoutMs: 300 });
    cleanup.push(() => client.disconnect());
    await waitForRedis(client);
    return client;
  }

  it('meters status classes, latency histogram and the billable correction per minute', async () => {
    const prefix = testPrefix();
    const client = await connect();
    const limiter = new RedisRateLimiter(client, { prefix });
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
      autoFlush: false,
    });
    const statuses = [200, 200, 201, 204, 301, 404, 429, 500, 502, 503];
    const latencies = [0.5, 1, 4, 8, 12, 40, 90, 250, 2500, 70000];
    for (let i = 0; i < statuses.length; i++) {
      const decision = await limiter.check({
        ...dims,
        keyId: 'k',
        ratePerSecond: 100,
        hardMonthlyQuota: 1000,
        now: MINUTE + i,
      });
      meter.record(
        call(statuses[i], {
          at: decision.at,
          latencyMs: latencies[i],
          quotaCounted: decision.quotaCounted,
          hasQuota: decision.hasQuota,
        }),
      );
    }
    const bucket = bucketKey(prefix);
    const quota = quotaCounterKey(prefix);
    expect(await redis.hget(bucket, 'billable')).toBeNull(); // not over yet
    expect(await redis.get(quota)).toBe('10'); // taken at admission
    await meter.flush();
    expect(await redis.get(quota)).toBe('7'); // 3 × 5xx refunded
    const fields = await redis.hgetall(bucket);
    expect(fields).toMatchObject({
      billable: '7', // not the 3 × 5xx
      '2xx': '4',
      '3xx': '1',
      '4xx': '2',
      '5xx': '3',
      lat_us: String(latencies.reduce((a, b) => a + b, 0) * 1000),
      h0: '2', // ≤ 1 ms
      h27: '1', // above 60 s
      _v: '1',
    });
    await meter.close();
  });

  it('counts calls the fallback limiter admitted in the shared quota too', async () => {
    const prefix = testPrefix();
    const client = await connect();
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
      autoFlush: false,
    });
    meter.record(call(200, { quotaCounted: false, hasQuota: true }));
    meter.record(call(404, { quotaCounted: false, hasQuota: true }));
    meter.record(call(503, { quotaCounted: false, hasQuota: true }));
    await meter.flush();
    const bucket = bucketKey(prefix);
    expect(await redis.hget(bucket, 'billable')).toBe('2');
    const quota = quotaCounterKey(prefix);
    expect(await redis.get(quota)).toBe('2');
    expect(await redis.pttl(quota)).toBeGreaterThan(0);
  });

  it('writes many partners in batches of at most maxRowsPerBatch rows', async () => {
    const prefix = testPrefix();
    const client = await connect();
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
      autoFlush: false,
      maxRowsPerBatch: 10,
    });
    for (let p = 0; p < 25; p++) {
      meter.record(
        call(200, { partnerId: `partner-${p}`, quotaCounted: false }),
      );
    }
    await meter.flush();
    const markers = await redis.keys(`${prefix}mbatch:*`);
    expect(markers).toHaveLength(3);
    for (let p = 0; p < 25; p++) {
      const bucket = bucketKey(prefix, { partnerId: `partner-${p}` });
      expect(await redis.hget(bucket, 'billable')).toBe('1');
    }
  });

  it('applies a batch at most once', async () => {
    const prefix = testPrefix();
    const client = await connect();
    const store = new RedisUsageStore(client, { prefix });
    const batch = {
      id: 'batch-1',
      partnerId: 'partner-a',
      rows: [
        {
          ...dims,
          minute: MINUTE,
          statusCounts: [3, 0, 0, 1],
          latencyUs: 4000,
          histogram: [0, 0, 0, 4],
          billableDelta: -1,
          quotaDelta: 0,
        },
      ],
    };
    await expect(store.apply([batch])).resolves.toEqual([true]);
    await expect(store.apply([batch, batch])).resolves.toEqual([true, true]);
    const bucket = bucketKey(prefix);
    expect(await redis.hgetall(bucket)).toMatchObject({
      '2xx': '3',
      '5xx': '1',
      billable: '-1',
      h3: '4',
    });
  });

  it('buffers while Redis is unreachable and replays when it is back', async () => {
    const prefix = testPrefix();
    const proxy = await TcpProxy.start(testRedisUrl());
    cleanup.push(() => proxy.down());
    const client = await connect(proxy.url);
    const warnings: string[] = [];
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
      autoFlush: false,
      logger: { warn: m => warnings.push(m), info: () => {} },
    });
    const bucket = bucketKey(prefix);

    await proxy.down();
    for (let i = 0; i < 5; i++) meter.record(call(200));
    await meter.flush();
    for (let i = 0; i < 3; i++)
      meter.record(call(200, { at: MINUTE + 60_000 }));
    await meter.flush();
    expect(meter.stats).toMatchObject({
      bufferedRows: 2,
      pendingBatches: 2,
      droppedRows: 0,
    });
    expect(warnings).toHaveLength(1);
    expect(await redis.exists(bucket)).toBe(0);

    await proxy.up();
    await waitForRedis(client);
    await meter.flush();
    expect(meter.stats.bufferedRows).toBe(0);
    expect(await redis.hget(bucket, '2xx')).toBe('5');
    expect(
      await redis.hget(bucketKey(prefix, { minute: MINUTE + 60_000 }), '2xx'),
    ).toBe('3');
  });

  it('never double-counts a batch whose reply was lost', async () => {
    const prefix = testPrefix();
    const proxy = await TcpProxy.start(testRedisUrl());
    cleanup.push(() => proxy.down());
    const client = await connect(proxy.url);
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
      autoFlush: false,
    });
    const bucket = bucketKey(prefix);

    proxy.blackhole(); // Redis applies the batch; the reply never arrives
    for (let i = 0; i < 4; i++) meter.record(call(200));
    await meter.flush();
    expect(meter.stats.pendingBatches).toBe(1);
    await eventually(async () => (await redis.hget(bucket, '2xx')) === '4');

    const reconnected = new Promise(resolve => client.once('ready', resolve));
    proxy.reset(); // the connection drops; the client reconnects
    await reconnected;
    await meter.flush();
    expect(meter.stats.pendingBatches).toBe(0);
    expect(await redis.hget(bucket, '2xx')).toBe('4');
    expect(await redis.hget(bucket, '_v')).toBe('1');
  });

  it('bills a call once when the admission ran in Redis but its reply was lost', async () => {
    const prefix = testPrefix();
    const proxy = await TcpProxy.start(testRedisUrl());
    cleanup.push(() => proxy.down());
    const limiterClient = await connect(proxy.url);
    const limiter = new FailoverRateLimiter(
      new RedisRateLimiter(limiterClient, { prefix }),
      new InMemoryRateLimiter(),
      { logger: { warn: () => {}, info: () => {} } },
    );
    const meter = new UsageMeter({
      sink: new RedisUsageStore(await connect(), { prefix }),
      autoFlush: false,
    });
    const bucket = bucketKey(prefix);
    const quota = quotaCounterKey(prefix);

    proxy.blackhole(); // the script runs in Redis; its reply never arrives
    const decision = await limiter.check({
      ...dims,
      keyId: 'k',
      ratePerSecond: 10,
      hardMonthlyQuota: 1000,
      now: MINUTE + 1000,
    });
    expect(decision).toMatchObject({ allowed: true, quotaCounted: false });
    await eventually(async () => (await redis.get(quota)) === '1');
    meter.record(
      call(200, {
        at: decision.at,
        quotaCounted: decision.quotaCounted,
        hasQuota: decision.hasQuota,
      }),
    );
    await meter.flush();

    expect(await redis.hget(bucket, '2xx')).toBe('1');
    expect(await redis.hget(bucket, 'billable')).toBe('1');
    // The quota may count the call twice (at most the calls of the batch in
    // flight): it errs against the free partner, never the bill.
    expect(Number(await redis.get(quota))).toBeLessThanOrEqual(2);
  });

  it('drops the oldest batches beyond the buffer bound, and says so', async () => {
    const proxy = await TcpProxy.start(testRedisUrl());
    cleanup.push(() => proxy.down());
    const client = await connect(proxy.url);
    await proxy.down();
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix: testPrefix() }),
      autoFlush: false,
      maxBufferedRows: 3,
      logger: { warn: () => {}, info: () => {} },
    });
    // One row per flush attempt: five batches queue up, the oldest two go.
    for (let p = 0; p < 5; p++) {
      meter.record(call(200, { partnerId: `partner-${p}` }));
      await meter.flush();
    }
    expect(meter.stats).toMatchObject({
      bufferedRows: 3,
      pendingBatches: 3,
      droppedRows: 2,
    });
    await meter.close({ attempts: 1 });
  });

  it('flushes on shutdown and ignores calls after it', async () => {
    const prefix = testPrefix();
    const client = await connect();
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 3; i++) meter.record(call(200));
    await expect(meter.close()).resolves.toEqual({ unflushedRows: 0 });
    meter.record(call(200));
    const bucket = bucketKey(prefix);
    expect(await redis.hget(bucket, '2xx')).toBe('3');
    expect(meter.stats.bufferedRows).toBe(0);
  });

  it('reports what it could not write on shutdown', async () => {
    const proxy = await TcpProxy.start(testRedisUrl());
    cleanup.push(() => proxy.down());
    const client = await connect(proxy.url);
    await proxy.down();
    const warnings: string[] = [];
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix: testPrefix() }),
      logger: { warn: m => warnings.push(m), info: () => {} },
    });
    meter.record(call(200));
    await expect(meter.close({ attempts: 2 })).resolves.toEqual({
      unflushedRows: 1,
    });
    expect(warnings.some(w => w.includes('1 unflushed rows'))).toBe(true);
  });

  it('flushes on its own timer', async () => {
    const prefix = testPrefix();
    const client = await connect();
    const meter = new UsageMeter({
      sink: new RedisUsageStore(client, { prefix }),
    });
    cleanup.push(() => meter.close());
    meter.record(call(200));
    const bucket = bucketKey(prefix);
    // No explicit flush: only the timer can write it.
    await eventually(async () => (await redis.hget(bucket, '2xx')) === '1');
    // Redis may answer other clients before the meter sees its own reply.
    await eventually(async () => meter.stats.bufferedRows === 0);
    expect(await redis.hgetall(bucket)).toMatchObject({
      '2xx': '1',
      billable: '1',
    });
    expect(meter.stats).toMatchObject({ pendingBatches: 0, droppedRows: 0 });
  });
});

describe('UsageMeter embedded (in-memory)', () => {
  it('keeps the same billable rule with the in-memory limiter and store', async () => {
    const usage = new InMemoryUsageStore();
    const limiter = new InMemoryRateLimiter({ usage });
    const meter = new UsageMeter({ sink: usage, autoFlush: false });
    for (const status of [200, 404, 500]) {
      const decision = await limiter.check({
        ...dims,
        keyId: 'k',
        ratePerSecond: 100,
        hardMonthlyQuota: 10,
        now: MINUTE,
      });
      meter.record(
        call(status, {
          at: decision.at,
          quotaCounted: decision.quotaCounted,
          hasQuota: true,
        }),
      );
    }
    await meter.flush();
    const buckets = [];
    for await (const bucket of usage.readClosedBuckets(MINUTE + 60_000))
      buckets.push(bucket);
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({
      billable: 2,
      statusCounts: { '2xx': 1, '4xx': 1, '5xx': 1 },
    });
    expect(usage.quotaUsed('partner-a', 'tracking', 'production', MINUTE)).toBe(
      2,
    );
  });

  it('never changes a sealed batch: calls after a flush go into new rows', async () => {
    const batches: MeterBatch[][] = [];
    const meter = new UsageMeter({
      sink: {
        async apply(sent) {
          // What was sent, as it was when sent.
          batches.push(structuredClone([...sent]));
          return sent.map(() => false); // keep them queued: still referenced
        },
      },
      autoFlush: false,
    });
    meter.record(call(200));
    meter.record(call(200, { at: MINUTE + 61_000 })); // next minute
    meter.record(call(200));
    await meter.flush();
    meter.record(call(500)); // same dimensions and minute as the first row
    await meter.flush();
    const [first, second] = batches;
    expect(first.flatMap(b => b.rows.map(r => r.statusCounts))).toEqual([
      [2, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
    // Retried as it was, plus a new batch with the new call only.
    expect(second.slice(0, first.length)).toEqual(first);
    expect(
      second.slice(first.length).flatMap(b => b.rows.map(r => r.statusCounts)),
    ).toEqual([[0, 0, 0, 1]]);
  });
});
