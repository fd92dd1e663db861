import {
  apiKeyHashMatches,
  decodeApiKey,
  generateApiKey,
  hashApiKey,
} from './apiKeyCodec';

describe('apiKeyCodec', () => {
  it('generates sandbox and production keys that decode to their id and environment', () => {
    const sandbox = generateApiKey('sandbox');
    const live = generateApiKey('production');

    expect(sandbox.key).toMatch(/^sk_test_[0-9A-Za-z]{65}$/);
    expect(live.key).toMatch(/^sk_live_[0-9A-Za-z]{65}$/);
    expect(decodeApiKey(sandbox.key)).toEqual({
      keyId: sandbox.keyId,
      environment: 'sandbox',
      hash: sandbox.hash,
    });
    expect(decodeApiKey(live.key)?.environment).toBe('production');
    expect(sandbox.prefix).toBe(`sk_test_${sandbox.keyId}`);
    expect(sandbox.key.startsWith(sandbox.prefix)).toBe(true);
  });

  it('never stores the key: the hash is a sha256 that does not contain it', () => {
    const generated = generateApiKey('sandbox');
    expect(generated.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generated.hash).toBe(hashApiKey(generated.key));
    expect(generated.hash).not.toContain(generated.keyId);
  });

  it('produces distinct keys and ids', () => {
    const keys = new Set<string>();
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const generated = generateApiKey('sandbox');
      keys.add(generated.key);
      ids.add(generated.keyId);
    }
    expect(keys.size).toBe(2000);
    expect(ids.size).toBe(2000);
  });

  it('rejects every single-character typo through the checksum', () => {
    const { key } = generateApiKey('production');
    let rejected = 0;
    let tried = 0;
    for (let i = 8; i < key.length; i++) {
      const replacement = key[i] === 'a' ? 'b' : 'a';
      const typo = key.slice(0, i) + replacement + key.slice(i + 1);
      tried++;
      if (decodeApiKey(typo) === undefined) rejected++;
    }
    expect(rejected).toBe(tried);
  });

  it.each([
    ['empty', ''],
    ['unknown prefix', `sk_prod_${'a'.repeat(65)}`],
    ['too short', 'sk_test_abc'],
    ['too long', `sk_test_${'a'.repeat(500)}`],
    ['non base62', `sk_test_${'a'.repeat(64)}-`],
    ['whitespace', ` ${generateApiKey('sandbox').key}`],
    ['newline injection', `${generateApiKey('sandbox').key}\r\nX-Evil: 1`],
  ])('rejects a malformed key (%s)', (_name, presented) => {
    expect(decodeApiKey(presented)).toBeUndefined();
  });

  it('swapping the environment prefix breaks the checksum', () => {
    const { key } = generateApiKey('sandbox');
    expect(decodeApiKey(key.replace('sk_test_', 'sk_live_'))).toBeUndefined();
  });

  it('compares hashes in constant time and by value', () => {
    const { hash } = generateApiKey('sandbox');
    expect(apiKeyHashMatches(hash, hash)).toBe(true);
    expect(apiKeyHashMatches(hash, generateApiKey('sandbox').hash)).toBe(false);
    expect(apiKeyHashMatches(hash, 'abcd')).toBe(false);
  });
});
