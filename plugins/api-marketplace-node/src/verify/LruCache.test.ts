import { LruCache } from './LruCache';

describe('LruCache', () => {
  it('never holds more than maxEntries', () => {
    const cache = new LruCache<number>(100);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`k${i}`, i);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
  });

  it('keeps what was used among the last maxEntries / 2 keys, forgets cold ones', () => {
    const cache = new LruCache<number>(10);
    cache.set('hot', 0);
    const misses = [];
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, i);
      // Used every third insert: always among the last 5 distinct keys.
      if (i % 3 === 0 && cache.get('hot') === undefined) misses.push(i);
    }
    expect(misses).toEqual([]);
    expect(cache.get('hot')).toBe(0);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k99')).toBe(99);
  });

  it('deletes and clears', () => {
    const cache = new LruCache<number>(10);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
