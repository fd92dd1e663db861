import { Redis } from 'ioredis';
import { createGatewayRedis, waitForRedis } from '../redis';
import { deleteTestKeys, testPrefix } from '../testUtils/fixtures';
import { InMemoryUsageStore } from './InMemoryUsageStore';
import { latencyBucketOf, latencyPercentile } from './latency';
import { RedisUsageStore } from './RedisUsageStore';
import { testRedisUrl } from '../testUtils/testRedis';
import { UsageMeter } from './UsageMeter';
import type { MeterSink, UsageBucket, UsageBucketReader } from './usageTypes';

// Leave nothing behind in the shared Redis.
afterAll(deleteTestKeys);

const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const dims = {
  partnerId: 'partner-a',
  productId: 'tracking',
  environment: 'sandbox' as const,
};

type Store = MeterSink & UsageBucketReader;

async function readAll(
  store: UsageBucketReader,
  before: number,
): Promise<UsageBucket[]> {
  const out: UsageBucket[] = [];
  for await (const bucket of store.readClosedBuckets(before)) out.push(bucket);
  return out.sort((a, b) => a.minute - b.minute);
}

describe.each([
  [
    'redis',
    async () => {
      const client = createGatewayRedis(testRedisUrl());
      await waitForRedis(client);
      return {
        store: new RedisUsageStore(client, { prefix: testPrefix() }) as Store,
        close: () => client.quit(),
      };
    },
  ],
  [
    'in-memory',
    async () => ({
      store: new InMemoryUsageStore() as Store,
      close: async () => {},
    }),
  ],
])('%s usage store rollup', (_name, create) => {
  let store: Store;
  let close: () => Promise<unknown>;
  let meter: UsageMeter;
  beforeEach(async () => {
    ({ store, close } = await create());
    meter = new UsageMeter({ sink: store, autoFlush: false });
  });
  afterEach(async () => {
    await meter.close();
    await close();
  });

  function record(
    minute: number,
    status: number,
    latencyMs: number,
    partnerId = 'partner-a',
  ) {
    meter.record({
      ...dims,
      partnerId,
      at: minute + 5_000,
      status,
      latencyMs,
      quotaCounted: false,
      hasQuota: false,
    });
  }

  it('reads only closed minutes, with counts and percentiles', async () => {
    const closed = NOW - 120_000;
    for (let i = 1; i <= 100; i++) record(closed, i <= 98 ? 200 : 503, i);
    record(NOW - 60_000, 200, 1, 'partner:b{odd}');
    record(NOW, 200, 1); // still open
    await meter.flush();

    const buckets = await readAll(store, NOW);
    expect(buckets.map(b => [b.partnerId, b.minute])).toEqual([
      ['partner-a', closed],
      ['partner:b{odd}', NOW - 60_000],
    ]);
    expect(buckets[0]).toMatchObject({
      productId: 'tracking',
      environment: 'sandbox',
      billable: 98,
      statusCounts: { '2xx': 98, '3xx': 0, '4xx': 0, '5xx': 2 },
      latency: { count: 100, meanMs: 50.5, p50Ms: 50, p95Ms: 100, p99Ms: 100 },
    });
  });

  it('hides rolled-up buckets and shows them again, complete, after a late write', async () => {
    const minute = NOW - 180_000;
    record(minute, 200, 5);
    await meter.flush();
    const [bucket] = await readAll(store, NOW);
    expect(bucket.billable).toBe(1);

    // A late meter flush lands between the read and the mark: not marked.
    record(minute, 200, 5);
    await meter.flush();
    await expect(store.markRolledUp([bucket])).resolves.toBe(0);
    const [again] = await readAll(store, NOW);
    expect(again.billable).toBe(2);
    await expect(store.markRolledUp([again], 60)).resolves.toBe(1);
    await expect(readAll(store, NOW)).resolves.toEqual([]);

    // A write after the rollup revives the bucket with its full totals.
    record(minute, 404, 5);
    await meter.flush();
    const [revived] = await readAll(store, NOW);
    expect(revived).toMatchObject({
      billable: 3,
      statusCounts: { '2xx': 2, '4xx': 1 },
    });
  });
});

describe('RedisUsageStore.markRolledUp', () => {
  it('shortens the TTL of rolled-up buckets, and restores it on a late write', async () => {
    const client = createGatewayRedis(testRedisUrl());
    await waitForRedis(client);
    const redis = new Redis(testRedisUrl());
    const store = new RedisUsageStore(client, { prefix: testPrefix() });
    const meter = new UsageMeter({ sink: store, autoFlush: false });
    const late = () =>
      meter.record({
        ...dims,
        at: NOW - 120_000,
        status: 200,
        latencyMs: 1,
        quotaCounted: false,
        hasQuota: false,
      });
    late();
    await meter.flush();
    const buckets = await readAll(store, NOW);
    expect(await redis.ttl(buckets[0].key)).toBeGreaterThan(3600);
    await store.markRolledUp(buckets, 120);
    expect(await redis.ttl(buckets[0].key)).toBeLessThanOrEqual(120);
    late();
    await meter.flush();
    expect(await redis.ttl(buckets[0].key)).toBeGreaterThan(3600);
    await meter.close();
    await client.quit();
    await redis.quit();
  });
});

describe('latency histogram', () => {
  it('buckets by upper bound and reads percentiles', () => {
    expect(latencyBucketOf(0)).toBe(0);
    expect(latencyBucketOf(1)).toBe(0);
    expect(latencyBucketOf(1.01)).toBe(1);
    expect(latencyBucketOf(60_000)).toBe(26);
    expect(latencyBucketOf(60_001)).toBe(27);
    const histogram = new Array(28).fill(0);
    histogram[latencyBucketOf(5)] = 90;
    histogram[latencyBucketOf(200)] = 9;
    histogram[latencyBucketOf(90_000)] = 1;
    expect(latencyPercentile(histogram, 0.5)).toBe(5);
    expect(latencyPercentile(histogram, 0.95)).toBe(200);
    expect(latencyPercentile(histogram, 0.995)).toBe(60_000);
    expect(latencyPercentile(new Array(28).fill(0), 0.5)).toBe(0);
  });
});
