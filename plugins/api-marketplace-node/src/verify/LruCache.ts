/**
 * A bounded cache that forgets the least recently used entries first, in two
 * generations: hits land in `recent`; when it is half full, it becomes `old`
 * and the previous `old` is dropped. Reads of recent entries do not touch the
 * map at all, unlike a delete-and-reinsert LRU whose churn makes V8 rehash
 * the table on hot paths. Holds at most `maxEntries`; an entry used within
 * the last `maxEntries / 2` distinct keys is always kept.
 */
export class LruCache<V> {
  private recent = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly generationSize: number;

  constructor(maxEntries: number) {
    if (!(maxEntries >= 2)) throw new RangeError('maxEntries must be >= 2');
    this.generationSize = Math.floor(maxEntries / 2);
  }

  get(key: string): V | undefined {
    const value = this.recent.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.put(key, aged);
    }
    return aged;
  }

  set(key: string, value: V): void {
    if (this.recent.has(key)) {
      this.recent.set(key, value);
      return;
    }
    this.old.delete(key);
    this.put(key, value);
  }

  delete(key: string): void {
    this.recent.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.recent.clear();
    this.old.clear();
  }

  get size(): number {
    return this.recent.size + this.old.size;
  }

  private put(key: string, value: V): void {
    this.recent.set(key, value);
    if (this.recent.size >= this.generationSize) {
      this.old = this.recent;
      this.recent = new Map();
    }
  }
}
