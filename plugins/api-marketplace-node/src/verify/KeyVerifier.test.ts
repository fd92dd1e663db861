import { forgeKeyWithSameId, makeKey } from '../testUtils/fixtures';
import { InMemoryKeyLookup } from './InMemoryKeyLookup';
import { KeyVerifier } from './KeyVerifier';
import type { KeyLookup, VerifiableKey, VerifyInput } from './types';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

function setup(
  overrides: Partial<VerifiableKey> = {},
  environment: 'sandbox' | 'production' = 'production',
) {
  const { key, record } = makeKey(overrides, environment);
  const lookup = new InMemoryKeyLookup([record]);
  const clock = { now: NOW };
  const verifier = new KeyVerifier({ lookup, now: () => clock.now });
  const input = (extra: Partial<VerifyInput> = {}): VerifyInput => ({
    headers: { authorization: `Bearer ${key}` },
    productId: 'tracking',
    clientIp: '127.0.0.1',
    ...extra,
  });
  return { key, record, lookup, clock, verifier, input };
}

describe('KeyVerifier', () => {
  it('accepts a key from Authorization: Bearer or X-API-Key', async () => {
    const { key, record, verifier, input } = setup();
    await expect(verifier.verify(input())).resolves.toEqual({
      ok: true,
      keyId: record.id,
      partnerId: 'partner-a',
      environment: 'production',
      productId: 'tracking',
      plan: { plan: 'starter', ratePerSecond: 1000 },
    });
    await expect(
      verifier.verify(input({ headers: { 'x-api-key': key } })),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      verifier.verify(input({ headers: { authorization: `bearer ${key}` } })),
    ).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['no headers', {}],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['an empty X-API-Key', { 'x-api-key': '' }],
  ])('refuses %s with missing_key', async (_name, headers) => {
    const { verifier, input, lookup } = setup();
    await expect(verifier.verify(input({ headers }))).resolves.toEqual({
      ok: false,
      code: 'missing_key',
    });
    expect(lookup.lookups).toBe(0);
  });

  it('refuses garbage and typos with invalid_key without touching storage', async () => {
    const { key, verifier, input, lookup } = setup();
    const typo = `${key.slice(0, 20)}${key[20] === 'a' ? 'b' : 'a'}${key.slice(
      21,
    )}`;
    for (const presented of ['hello', `sk_live_${'x'.repeat(65)}`, typo]) {
      await expect(
        verifier.verify(input({ headers: { 'x-api-key': presented } })),
      ).resolves.toEqual({ ok: false, code: 'invalid_key' });
    }
    await expect(
      verifier.verify(input({ headers: { 'x-api-key': [key, key] } })),
    ).resolves.toEqual({ ok: false, code: 'invalid_key' });
    expect(lookup.lookups).toBe(0);
  });

  it('refuses an unknown key id and remembers it briefly (negative cache)', async () => {
    const { verifier, input, lookup, clock } = setup();
    const { key: unknown } = makeKey();
    const call = () =>
      verifier.verify(
        input({ headers: { authorization: `Bearer ${unknown}` } }),
      );
    await expect(call()).resolves.toEqual({ ok: false, code: 'invalid_key' });
    await expect(call()).resolves.toEqual({ ok: false, code: 'invalid_key' });
    expect(lookup.lookups).toBe(1);
    clock.now += 1_001;
    await call();
    expect(lookup.lookups).toBe(2);
  });

  it('compares the hash on every call, also when the record is cached', async () => {
    const { key, verifier, input, lookup } = setup();
    await expect(verifier.verify(input())).resolves.toMatchObject({ ok: true });
    const forged = forgeKeyWithSameId(key);
    expect(forged).not.toBe(key);
    await expect(
      verifier.verify(
        input({ headers: { authorization: `Bearer ${forged}` } }),
      ),
    ).resolves.toEqual({ ok: false, code: 'invalid_key' });
    expect(lookup.lookups).toBe(1);
  });

  it('refuses a typo of a cached key with invalid_key, without a lookup', async () => {
    const { key, verifier, input, lookup } = setup();
    await expect(verifier.verify(input())).resolves.toMatchObject({ ok: true });
    // Same key id, wrong checksum: its hash cannot match the cached one.
    const last = key[key.length - 1] === 'a' ? 'b' : 'a';
    const typo = key.slice(0, -1) + last;
    for (const verdict of [
      await verifier.verify(input({ headers: { 'x-api-key': typo } })),
      verifier.verifyCached(input({ headers: { 'x-api-key': typo } })),
    ]) {
      expect(verdict).toEqual({ ok: false, code: 'invalid_key' });
    }
    expect(lookup.lookups).toBe(1);
  });

  it('verifyCached answers at once from the cache, and leaves lookups to verify', async () => {
    const { verifier, input, lookup, clock } = setup();
    expect(verifier.verifyCached(input())).toBeUndefined(); // not cached yet
    expect(
      verifier.verifyCached(input({ headers: { 'x-api-key': 'nope' } })),
    ).toEqual({ ok: false, code: 'invalid_key' }); // refused on its shape
    expect(lookup.lookups).toBe(0);
    const verified = await verifier.verify(input());
    expect(verified).toMatchObject({ ok: true });
    expect(verifier.verifyCached(input())).toEqual(verified);
    expect(verifier.verifyCached(input({ productId: 'routing' }))).toEqual({
      ok: false,
      code: 'not_scoped',
    });
    clock.now += 5_001; // past the TTL: only verify may look it up again
    expect(verifier.verifyCached(input())).toBeUndefined();
    expect(lookup.lookups).toBe(1);
  });

  it('refuses expired keys with expired_key', async () => {
    const { verifier, input } = setup({
      expiresAt: new Date(NOW - 1).toISOString(),
    });
    await expect(verifier.verify(input())).resolves.toEqual({
      ok: false,
      code: 'expired_key',
    });
  });

  it('refuses revoked keys and rotated keys past their grace with revoked_key', async () => {
    const revoked = setup({ status: 'revoked' });
    await expect(revoked.verifier.verify(revoked.input())).resolves.toEqual({
      ok: false,
      code: 'revoked_key',
    });

    const rotating = setup({
      status: 'rotating',
      graceEndsAt: new Date(NOW + 60_000).toISOString(),
    });
    await expect(
      rotating.verifier.verify(rotating.input()),
    ).resolves.toMatchObject({ ok: true });
    rotating.clock.now = NOW + 60_000;
    await expect(rotating.verifier.verify(rotating.input())).resolves.toEqual({
      ok: false,
      code: 'revoked_key',
    });
  });

  it('refuses keys of the other environment with wrong_environment', async () => {
    const { verifier, input } = setup({}, 'sandbox');
    await expect(
      verifier.verify(input({ environment: 'production' })),
    ).resolves.toEqual({ ok: false, code: 'wrong_environment' });
    await expect(
      verifier.verify(input({ environment: 'sandbox' })),
    ).resolves.toMatchObject({ ok: true, environment: 'sandbox' });
  });

  it('refuses a stored record whose environment disagrees with the key prefix', async () => {
    const { key, record } = makeKey({}, 'sandbox');
    const verifier = new KeyVerifier({
      lookup: new InMemoryKeyLookup([{ ...record, environment: 'production' }]),
    });
    await expect(
      verifier.verify({ headers: { 'x-api-key': key }, productId: 'tracking' }),
    ).resolves.toEqual({ ok: false, code: 'invalid_key' });
  });

  it('refuses products outside the key scope or without an active plan with not_scoped', async () => {
    const { verifier, input } = setup({
      productIds: ['tracking', 'routing'],
      plans: {
        tracking: { plan: 'free', ratePerSecond: 1 },
        billing: { plan: 'free', ratePerSecond: 1 },
      },
    });
    await expect(
      verifier.verify(input({ productId: 'routing' })),
    ).resolves.toEqual({
      ok: false,
      code: 'not_scoped',
    });
    await expect(
      verifier.verify(input({ productId: 'billing' })),
    ).resolves.toEqual({
      ok: false,
      code: 'not_scoped',
    });
    await expect(
      verifier.verify(input({ productId: 'tracking' })),
    ).resolves.toMatchObject({
      ok: true,
    });
  });

  it('enforces the IP allow list, with CIDRs, IPv6 and IPv4-mapped addresses', async () => {
    const { verifier, input } = setup({
      allowedIps: [
        '10.1.0.0/16',
        '2001:db8::/32',
        '192.0.2.7',
        'not-an-ip',
        '10.0.0.0/',
      ],
    });
    for (const clientIp of [
      '10.1.200.3',
      '::ffff:10.1.0.1',
      '2001:db8::42',
      '192.0.2.7',
    ]) {
      await expect(verifier.verify(input({ clientIp }))).resolves.toMatchObject(
        { ok: true },
      );
    }
    for (const clientIp of [
      '10.2.0.1',
      '192.0.2.8',
      '2001:db9::1',
      undefined,
    ]) {
      await expect(verifier.verify(input({ clientIp }))).resolves.toEqual({
        ok: false,
        code: 'ip_not_allowed',
      });
    }
  });

  it('refuses keys of suspended partners with partner_suspended', async () => {
    const { verifier, input } = setup({ partnerStatus: 'suspended' });
    await expect(verifier.verify(input())).resolves.toEqual({
      ok: false,
      code: 'partner_suspended',
    });
  });

  it('caches records for the TTL, then looks them up again', async () => {
    const { verifier, input, lookup, clock } = setup();
    for (let i = 0; i < 10; i++) await verifier.verify(input());
    expect(lookup.lookups).toBe(1);
    clock.now += 5_001;
    await verifier.verify(input());
    expect(lookup.lookups).toBe(2);
  });

  describe('with staleWhileRevalidateMs', () => {
    /** A lookup whose answers the test releases by hand. */
    function slowLookup(record: VerifiableKey) {
      const waiting: Array<(r: VerifiableKey | undefined) => void> = [];
      const lookup: KeyLookup & { lookups: number } = {
        lookups: 0,
        findByKeyId() {
          lookup.lookups++;
          return new Promise(resolve => waiting.push(resolve));
        },
      };
      return { lookup, release: (r = record) => waiting.shift()!(r) };
    }

    function staleSetup() {
      const { key, record } = makeKey();
      const { lookup, release } = slowLookup(record);
      const clock = { now: NOW };
      const verifier = new KeyVerifier({
        lookup,
        now: () => clock.now,
        staleWhileRevalidateMs: 10_000,
      });
      const input: VerifyInput = {
        headers: { 'x-api-key': key },
        productId: 'tracking',
      };
      return { key, record, lookup, release, clock, verifier, input };
    }

    it('serves a key past its TTL at once while one lookup refreshes it', async () => {
      const { record, lookup, release, clock, verifier, input } = staleSetup();
      const first = verifier.verify(input);
      release();
      await expect(first).resolves.toMatchObject({ ok: true });
      clock.now += 5_001; // stale: served, refreshed in the background
      await expect(verifier.verify(input)).resolves.toMatchObject({ ok: true });
      expect(verifier.verifyCached(input)).toMatchObject({ ok: true });
      expect(lookup.lookups).toBe(2); // one refresh for both calls
      // The refresh brings the revocation; the next call sees it.
      release({ ...record, status: 'revoked' });
      await new Promise(resolve => setImmediate(resolve));
      await expect(verifier.verify(input)).resolves.toEqual({
        ok: false,
        code: 'revoked_key',
      });
      expect(lookup.lookups).toBe(2);
    });

    it('waits for the lookup past the stale window, and after an eviction', async () => {
      const { record, lookup, release, clock, verifier, input } = staleSetup();
      const first = verifier.verify(input);
      release();
      await first;
      clock.now += 15_001; // past TTL + stale window
      expect(verifier.verifyCached(input)).toBeUndefined();
      let settled = false;
      const late = verifier.verify(input).then(result => {
        settled = true;
        return result;
      });
      await new Promise(resolve => setImmediate(resolve));
      expect(settled).toBe(false); // waiting for storage
      release();
      await expect(late).resolves.toMatchObject({ ok: true });

      clock.now += 6_000; // stale again, but evicted: never served stale
      verifier.evict(record.id);
      const afterEviction = verifier.verify(input);
      expect(verifier.verifyCached(input)).toBeUndefined();
      release({ ...record, status: 'revoked' });
      await expect(afterEviction).resolves.toEqual({
        ok: false,
        code: 'revoked_key',
      });
      expect(lookup.lookups).toBe(3);
    });
  });

  it('runs one lookup for many concurrent calls of the same key', async () => {
    const { verifier, input, lookup } = setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => verifier.verify(input())),
    );
    expect(results.every(result => result.ok)).toBe(true);
    expect(lookup.lookups).toBe(1);
  });

  it('keeps a bounded number of keys: cold keys are looked up again', async () => {
    const keys = Array.from({ length: 10 }, () => makeKey());
    const lookup = new InMemoryKeyLookup(keys.map(k => k.record));
    const verifier = new KeyVerifier({ lookup, maxEntries: 4, ttlMs: 60_000 });
    const call = (key: string) =>
      verifier.verify({ headers: { 'x-api-key': key }, productId: 'tracking' });
    for (const { key } of keys) await call(key);
    expect(lookup.lookups).toBe(10);
    await call(keys[9].key); // recent: cached
    expect(lookup.lookups).toBe(10);
    await call(keys[0].key); // cold: evicted
    expect(lookup.lookups).toBe(11);
  });

  it('applies a revocation immediately after evict()', async () => {
    const { verifier, input, lookup, record } = setup();
    await expect(verifier.verify(input())).resolves.toMatchObject({ ok: true });
    lookup.update(record.id, { status: 'revoked' });
    await expect(verifier.verify(input())).resolves.toMatchObject({ ok: true }); // cached
    verifier.evict(record.id);
    await expect(verifier.verify(input())).resolves.toEqual({
      ok: false,
      code: 'revoked_key',
    });
  });

  it('does not cache a lookup that was in flight when the key was evicted', async () => {
    const { key, record } = makeKey();
    let release!: () => void;
    let lookups = 0;
    const lookup: KeyLookup = {
      async findByKeyId() {
        lookups++;
        if (lookups === 1)
          await new Promise<void>(resolve => (release = resolve));
        return record;
      },
    };
    const verifier = new KeyVerifier({ lookup });
    const call = () =>
      verifier.verify({ headers: { 'x-api-key': key }, productId: 'tracking' });
    const first = call();
    await new Promise(resolve => setImmediate(resolve));
    verifier.evict(record.id);
    release();
    await expect(first).resolves.toMatchObject({ ok: true });
    await call();
    expect(lookups).toBe(2);
  });

  it('answers service_unavailable when storage fails and serves a recent record meanwhile', async () => {
    const { key, record } = makeKey();
    let failing = false;
    const clock = { now: NOW };
    const verifier = new KeyVerifier({
      lookup: {
        async findByKeyId() {
          if (failing) throw new Error('database down');
          return record;
        },
      },
      now: () => clock.now,
    });
    const call = (presented: string) =>
      verifier.verify({
        headers: { 'x-api-key': presented },
        productId: 'tracking',
      });
    await expect(call(key)).resolves.toMatchObject({ ok: true });
    failing = true;
    clock.now += 10_000; // past the TTL, within stale-if-error
    await expect(call(key)).resolves.toMatchObject({ ok: true });
    clock.now += 60_000;
    await expect(call(key)).resolves.toEqual({
      ok: false,
      code: 'service_unavailable',
    });
    await expect(call(makeKey().key)).resolves.toEqual({
      ok: false,
      code: 'service_unavailable',
    });
  });
});
