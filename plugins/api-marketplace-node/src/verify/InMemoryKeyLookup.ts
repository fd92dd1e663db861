import type { KeyLookup, VerifiableKey } from './types';

/** Keys held in a map: for tests, benchmarks and the embedded demo. */
export class InMemoryKeyLookup implements KeyLookup {
  private readonly keys = new Map<string, VerifiableKey>();
  /** How many lookups reached this store; tests use it to prove caching. */
  lookups = 0;

  constructor(keys: Iterable<VerifiableKey> = []) {
    for (const key of keys) this.set(key);
  }

  set(key: VerifiableKey): void {
    this.keys.set(key.id, structuredClone(key));
  }

  /** Applies a change, as the control plane would in its database. */
  update(keyId: string, change: Partial<VerifiableKey>): void {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`No key ${keyId}`);
    this.keys.set(keyId, { ...key, ...structuredClone(change) });
  }

  delete(keyId: string): void {
    this.keys.delete(keyId);
  }

  async findByKeyId(keyId: string): Promise<VerifiableKey | undefined> {
    this.lookups++;
    const key = this.keys.get(keyId);
    return key && structuredClone(key);
  }
}
