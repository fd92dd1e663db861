import { InMemoryMeterStore } from './InMemoryMeterStore';
import { RedisMeterStore } from './RedisMeterStore';
import { MeterStore, minuteOf, statusClassOf } from './types';
import { testRedisUrl } from '../testUtils/testRedis';
import { deleteTestKeys, testPrefix } from '../testUtils/fixtures';

// Leave nothing behind in the shared Redis.
afterAll(deleteTestKeys);

const stores: Array<[string, () => MeterStore]> = [
  [
    'redis',
    () =>
      RedisMeterStore.create({
        url: testRedisUrl(),
        keyPrefix: testPrefix(),
      }),
  ],
  ['in-memory', () => new InMemoryMeterStore()],
];

describe.each(stores)('%s meter store', (_name, createStore) => {
  let store: MeterStore;
  beforeEach(() => {
    store = createStore();
  });
  afterEach(async () => {
    await store.close();
  });

  const dims = {
    partnerId: 'partner-a',
    productId: 'tracking',
    environment: 'sandbox' as const,
  };

  it('counts concurrent calls per minute bucket and status class exactly', async () => {
    const at = Date.UTC(2026, 10, 28, 12, 30, 15);
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        store.record(dims, i % 5 === 0 ? '5xx' : '2xx', at + (i % 40) * 1000),
      ),
    );
    await store.record(dims, '2xx', at + 60_000);

    const bucket = await store.readBucket(dims, at);
    expect(bucket.minute).toBe(minuteOf(at));
    expect(bucket.counts).toEqual({ '2xx': 400, '5xx': 100 });
    expect((await store.readBucket(dims, at + 60_000)).counts).toEqual({
      '2xx': 1,
    });
  });

  it('keeps partners, products and environments apart', async () => {
    const at = Date.UTC(2026, 10, 28, 12, 0, 0);
    await store.record(dims, '2xx', at);
    await store.record({ ...dims, partnerId: 'partner-b' }, '2xx', at);
    await store.record({ ...dims, environment: 'production' }, '4xx', at);

    expect((await store.readBucket(dims, at)).counts).toEqual({ '2xx': 1 });
    expect(
      (await store.readBucket({ ...dims, environment: 'production' }, at))
        .counts,
    ).toEqual({ '4xx': 1 });
    expect(
      (await store.readBucket({ ...dims, productId: 'routing' }, at)).counts,
    ).toEqual({});
  });
});

describe('statusClassOf', () => {
  it.each([
    [200, '2xx'],
    [304, '3xx'],
    [429, '4xx'],
    [503, '5xx'],
  ])('%d is %s', (status, expected) => {
    expect(statusClassOf(status)).toBe(expected);
  });
});
