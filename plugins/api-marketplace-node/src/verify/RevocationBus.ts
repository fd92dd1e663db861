/** What a verifier does when told a key changed. */
export interface RevocationListener {
  evict(keyId: string): void;
  /** Messages may have been missed (reconnect) or many keys changed at once. */
  evictAll(): void;
}

/**
 * Carries key evictions (revoke, rotate, suspend, re-scope) from the control
 * plane to every gateway replica, so a change applies within about a second
 * instead of waiting for the cache TTL, which remains the backstop.
 */
export interface RevocationBus {
  publish(keyId: string): Promise<void>;
  publishAll(): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: RevocationListener): () => void;
}

/** For a single process: the embedded default and tests. */
export class InProcessRevocationBus implements RevocationBus {
  private readonly listeners = new Set<RevocationListener>();

  async publish(keyId: string): Promise<void> {
    for (const listener of this.listeners) listener.evict(keyId);
  }

  async publishAll(): Promise<void> {
    for (const listener of this.listeners) listener.evictAll();
  }

  subscribe(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
