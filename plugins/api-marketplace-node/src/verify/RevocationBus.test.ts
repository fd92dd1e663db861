import { Redis } from 'ioredis';
import { eventually, makeKey, testPrefix } from '../testUtils/fixtures';
import { TcpProxy } from '../testUtils/tcpProxy';
import { testRedisUrl } from '../testUtils/testRedis';
import { InMemoryKeyLookup } from './InMemoryKeyLookup';
import { KeyVerifier } from './KeyVerifier';
import { RedisRevocationBus } from './RedisRevocationBus';
import { InProcessRevocationBus } from './RevocationBus';

describe('revocation propagation', () => {
  const closers: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  function replica(lookup: InMemoryKeyLookup, prefix: string) {
    const bus = new RedisRevocationBus(
      new Redis(testRedisUrl()),
      new Redis(testRedisUrl()),
      prefix,
      true,
    );
    const verifier = new KeyVerifier({ lookup, bus, ttlMs: 60_000 });
    closers.push(
      () => verifier.close(),
      () => bus.close(),
    );
    return { bus, verifier };
  }

  it('reaches another replica through Redis pub/sub within a second', async () => {
    const prefix = testPrefix();
    const { key, record } = makeKey();
    // The database both replicas read.
    const lookup = new InMemoryKeyLookup([record]);
    const a = replica(lookup, prefix);
    const b = replica(lookup, prefix);
    await Promise.all([a.bus.ready(), b.bus.ready()]);
    const input = { headers: { 'x-api-key': key }, productId: 'tracking' };
    await expect(a.verifier.verify(input)).resolves.toMatchObject({ ok: true });
    await expect(b.verifier.verify(input)).resolves.toMatchObject({ ok: true });

    // The control plane revokes on replica A's side and publishes.
    lookup.update(record.id, { status: 'revoked' });
    await a.bus.publish(record.id);

    const elapsed = await eventually(
      async () => !(await b.verifier.verify(input)).ok,
      1000,
    );
    expect(elapsed).toBeLessThanOrEqual(1000);
    await expect(b.verifier.verify(input)).resolves.toEqual({
      ok: false,
      code: 'revoked_key',
    });
  });

  it('evicts everything after the subscriber reconnects, as messages may be lost', async () => {
    const proxy = await TcpProxy.start(testRedisUrl());
    closers.push(() => proxy.down());
    const prefix = testPrefix();
    const { key, record } = makeKey();
    const lookup = new InMemoryKeyLookup([record]);
    const bus = new RedisRevocationBus(
      new Redis(testRedisUrl()),
      new Redis(proxy.url),
      prefix,
      true,
    );
    const verifier = new KeyVerifier({ lookup, bus, ttlMs: 60_000 });
    closers.push(
      () => verifier.close(),
      () => bus.close(),
    );
    await bus.ready();
    const input = { headers: { 'x-api-key': key }, productId: 'tracking' };
    await verifier.verify(input);
    expect(lookup.lookups).toBe(1);

    // Revoked while this replica's subscription is cut: the message is lost.
    await proxy.down();
    lookup.update(record.id, { status: 'revoked' });
    await bus.publish(record.id);
    await proxy.up();

    await eventually(async () => !(await verifier.verify(input)).ok);
    expect(lookup.lookups).toBe(2);
  });

  it('also works in process, including evict-all', async () => {
    const bus = new InProcessRevocationBus();
    const { key, record } = makeKey();
    const lookup = new InMemoryKeyLookup([record]);
    const verifier = new KeyVerifier({ lookup, bus, ttlMs: 60_000 });
    const input = { headers: { 'x-api-key': key }, productId: 'tracking' };
    await verifier.verify(input);
    lookup.update(record.id, { partnerStatus: 'suspended' });
    await bus.publishAll();
    await expect(verifier.verify(input)).resolves.toEqual({
      ok: false,
      code: 'partner_suspended',
    });
    verifier.close();
  });
});
