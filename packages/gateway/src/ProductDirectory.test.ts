import { Redis } from 'ioredis';
import { RemoteProductDirectory } from './ProductDirectory';
import {
  deleteTestKeys,
  testPrefix,
  testRedisUrl,
} from '@portico/plugin-api-marketplace-node/testUtils';
import { TEST_TOKEN, recordingLogger } from './__testUtils__/gateways';
import { TEST_PRICING, fakeBackend } from './__testUtils__/servers';

let backend: Awaited<ReturnType<typeof fakeBackend>>;
let redis: Redis;

beforeEach(async () => {
  backend = await fakeBackend({
    token: TEST_TOKEN,
    products: [
      { id: 'tracking', baseUrl: 'https://tracking.internal/v2' },
      {
        id: 'rates',
        baseUrl: 'https://rates.internal',
        sandboxUrl: 'https://rates-sandbox.internal',
      },
    ],
  });
  redis = new Redis(testRedisUrl());
});

afterEach(async () => {
  await backend.close();
  redis.disconnect();
  await deleteTestKeys();
});

function directory(options: { token?: string; key?: string } = {}) {
  const logger = recordingLogger();
  return {
    logger,
    products: new RemoteProductDirectory({
      backendBaseUrl: backend.url,
      token: options.token ?? TEST_TOKEN,
      refreshMs: 60_000,
      logger,
      sandboxUrlFor: id => `http://mock.internal/sandbox/${id}`,
      redis: { client: redis, key: options.key ?? `${testPrefix()}products` },
    }),
  };
}

describe('RemoteProductDirectory', () => {
  it('serves the backend product list with the service token', async () => {
    const { products } = directory();
    await products.start();
    products.stop();
    expect(products.ready).toBe(true);
    expect(products.resolve('tracking')).toEqual({
      baseUrl: 'https://tracking.internal/v2',
      sandboxUrl: 'http://mock.internal/sandbox/tracking',
    });
    expect(products.resolve('rates')?.sandboxUrl).toBe(
      'https://rates-sandbox.internal',
    );
    expect((await products.get('tracking'))?.pricing).toEqual(TEST_PRICING);
  });

  it('is not ready when the backend refuses the token', async () => {
    const { products, logger } = directory({ token: 'wrong-token' });
    await products.start();
    products.stop();
    expect(products.ready).toBe(false);
    expect(products.resolve('tracking')).toBeUndefined();
    expect(logger.lines.join('\n')).toContain('answered 401');
    expect(logger.lines.join('\n')).not.toContain('wrong-token');
  });

  it('keeps the last good list while the backend fails, and recovers', async () => {
    const { products, logger } = directory();
    await products.start();
    products.stop();
    backend.state.down = true;
    expect(await products.refresh()).toBe(false);
    expect(products.resolve('tracking')?.baseUrl).toBe(
      'https://tracking.internal/v2',
    );
    backend.state.down = false;
    backend.state.products = backend.state.products.filter(
      p => p.id !== 'rates',
    );
    expect(await products.refresh()).toBe(true);
    expect(products.resolve('rates')).toBeUndefined();
    expect(logger.lines.join('\n')).toContain('serving the last good list');
  });

  it('fetches a product published since the last refresh on its own', async () => {
    const { products } = directory();
    await products.start();
    products.stop();
    backend.state.products.push({
      ...backend.state.products[0],
      id: 'customs',
      baseUrl: 'https://customs.internal',
    });
    expect(products.resolve('customs')).toBeUndefined();
    expect((await products.get('customs'))?.baseUrl).toBe(
      'https://customs.internal',
    );
    expect(products.resolve('customs')?.baseUrl).toBe(
      'https://customs.internal',
    );
    // An unknown id is asked once, then remembered as missing for a while.
    const calls = backend.state.calls;
    expect(await products.get('nope')).toBeUndefined();
    expect(await products.get('nope')).toBeUndefined();
    expect(backend.state.calls - calls).toBe(1);
  });

  it('starts from the list another replica shared in Redis when the backend is down', async () => {
    const key = `${testPrefix()}products`;
    const first = directory({ key }).products;
    await first.start();
    first.stop();

    backend.state.down = true;
    const { products, logger } = directory({ key });
    await products.start();
    products.stop();
    expect(products.ready).toBe(true);
    expect(products.resolve('tracking')?.baseUrl).toBe(
      'https://tracking.internal/v2',
    );
    expect(logger.lines.join('\n')).toContain('last good list shared in Redis');
  });

  it('skips products it cannot serve and names them', async () => {
    backend.state.products.push({
      ...backend.state.products[0],
      id: 'broken',
      baseUrl: 'ftp://broken.internal',
    });
    const { products, logger } = directory();
    await products.start();
    products.stop();
    expect(products.size).toBe(2);
    expect(logger.lines.join('\n')).toContain(
      'Product skipped: broken: baseUrl is not http(s)',
    );
  });
});
