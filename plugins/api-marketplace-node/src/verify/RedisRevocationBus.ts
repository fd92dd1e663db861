import { Redis } from 'ioredis';
import { DEFAULT_KEY_PREFIX, evictChannel } from '../keyspace';
import type { RevocationBus, RevocationListener } from './RevocationBus';

const ALL = '*';

/**
 * Redis pub/sub fan-out of key evictions to every replica. Pub/sub is
 * fire-and-forget: a replica that was disconnected may have missed messages,
 * so after every reconnect it evicts its whole cache.
 */
export class RedisRevocationBus implements RevocationBus {
  private readonly listeners = new Set<RevocationListener>();
  private readonly channel: string;
  private subscribed?: Promise<unknown>;
  private connectedOnce: boolean;

  /** Opens its own publisher and subscriber connections. */
  static create(options: { url: string; prefix?: string }): RedisRevocationBus {
    return new RedisRevocationBus(
      new Redis(options.url),
      new Redis(options.url),
      options.prefix,
      true,
    );
  }

  /**
   * @param publisher - any client; may be shared.
   * @param subscriber - a dedicated connection, it enters subscriber mode.
   */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    prefix: string = DEFAULT_KEY_PREFIX,
    private readonly ownsPublisher = false,
  ) {
    this.channel = evictChannel(prefix);
    this.connectedOnce = subscriber.status === 'ready';
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      for (const listener of this.listeners) {
        if (message === ALL) listener.evictAll();
        else listener.evict(message);
      }
    });
    subscriber.on('ready', () => {
      if (this.connectedOnce) {
        for (const listener of this.listeners) listener.evictAll();
      }
      this.connectedOnce = true;
    });
  }

  async publish(keyId: string): Promise<void> {
    await this.publisher.publish(this.channel, keyId);
  }

  async publishAll(): Promise<void> {
    await this.publisher.publish(this.channel, ALL);
  }

  subscribe(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    this.subscribed ??= this.subscriber.subscribe(this.channel);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once the subscription is active, so no message is missed. */
  async ready(): Promise<void> {
    this.subscribed ??= this.subscriber.subscribe(this.channel);
    await this.subscribed;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.quit();
    if (this.ownsPublisher) await this.publisher.quit();
  }
}
