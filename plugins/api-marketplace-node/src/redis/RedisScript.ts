import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
import type { Cluster, Redis } from 'ioredis';

/** A standalone or cluster client. */
export type RedisClient = Redis | Cluster;

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A Lua script run with EVALSHA. It is loaded once up front; after a SCRIPT
 * FLUSH or a failover to a replica that never saw it, the NOSCRIPT reply
 * falls back to EVAL, which also caches it again on that server.
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Best effort: a failed load only means the first call goes via EVAL. */
  load(client: RedisClient): Promise<void> {
    return client.script('LOAD', this.source).then(
      () => undefined,
      () => undefined,
    );
  }

  async run(
    client: RedisClient,
    keys: readonly string[],
    args: ReadonlyArray<string | number>,
  ): Promise<unknown> {
    try {
      // Sent as one command, past ioredis auto-pipelining: callers that
      // batch already, and a pipeline object per flush costs more than
      // the command itself.
      const command = new Command('evalsha', [
        this.sha,
        keys.length,
        ...keys,
        ...args,
      ]);
      return await client.sendCommand(command);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }

  /** For pipelines: true when a reply in an `exec()` result was NOSCRIPT. */
  static isNoScript(error: unknown): boolean {
    return isNoScript(error);
  }
}
