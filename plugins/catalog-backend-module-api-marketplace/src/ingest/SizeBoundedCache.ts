/**
 * A least-recently-used map bounded by the total size of its values, for
 * bundled specs that range from a few kB to tens of MB.
 */
export class SizeBoundedCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(private readonly maxSize: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, size: number) {
    this.delete(key);
    if (size > this.maxSize) {
      return;
    }
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxSize) {
        break;
      }
      this.entries.delete(oldest);
      this.total -= entry.size;
    }
  }

  delete(key: string) {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.total -= entry.size;
    }
  }

  get size(): number {
    return this.total;
  }
}
