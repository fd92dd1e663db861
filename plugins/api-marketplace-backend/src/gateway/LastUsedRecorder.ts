import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Collects the ids of keys that made calls and writes their `last_used_at`
 * once per interval, off the hot path.
 */
export class LastUsedRecorder {
  private seen = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: { touch(ids: string[], at: Date): Promise<void> },
    private readonly logger: Pick<LoggerService, 'warn'>,
    intervalMs = 60_000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(keyId: string): void {
    this.seen.add(keyId);
  }

  async flush(): Promise<void> {
    if (this.seen.size === 0) return;
    const ids = [...this.seen];
    this.seen = new Set();
    try {
      for (let i = 0; i < ids.length; i += 500) {
        await this.store.touch(ids.slice(i, i + 500), new Date());
      }
    } catch (error) {
      this.logger.warn(`Could not record when keys were last used: ${error}`);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
