export interface MockStateOptions {
  /** Most stored resources, over all callers and products. Default 500. */
  maxEntries?: number;
  /** Largest stored resource, as JSON bytes; larger ones are not kept. Default 16 KiB. */
  maxEntryBytes?: number;
  /** How long a stored resource lives. Default 30 minutes. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  json: string;
  expires: number;
}

/**
 * A small, bounded, least-recently-used store for the mock sandbox's
 * create-then-get demo. Keys are scoped by the caller, so one user never
 * sees what another posted.
 */
export class MockState {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxEntryBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private counter = 1000;

  constructor(options: MockStateOptions = {}) {
    this.maxEntries = options.maxEntries ?? 500;
    this.maxEntryBytes = options.maxEntryBytes ?? 16 * 1024;
    this.ttlMs = options.ttlMs ?? 30 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  static key(parts: string[]): string {
    return JSON.stringify(parts);
  }

  get size(): number {
    return this.entries.size;
  }

  nextNumber(): number {
    this.counter += 1;
    return this.counter;
  }

  get(key: string): unknown | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: Map order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return JSON.parse(entry.json);
  }

  /** Stores a copy; returns false when the value is too large to keep. */
  set(key: string, value: unknown): boolean {
    const json = JSON.stringify(value);
    if (json === undefined || Buffer.byteLength(json) > this.maxEntryBytes) {
      return false;
    }
    this.entries.delete(key);
    this.entries.set(key, { json, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return true;
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }
}
