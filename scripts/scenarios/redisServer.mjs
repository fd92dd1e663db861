/*
 * A redis-server of the scenario's own, with the persistence the gateway
 * README documents for production (AOF), that the scenario can shut down,
 * kill -9 and start again on the same port and data directory.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

const sleep = ms => new Promise(done => setTimeout(done, ms));

export class RedisServer {
  /**
   * @param {object} options
   * @param {number} options.port
   * @param {string} options.dir data directory (the AOF files) and log
   * @param {string} options.persistence AOF with `appendfsync always` or `everysec`, or `none` (to see the loss)
   * @param {(proc: import('node:child_process').ChildProcess) => void} options.track
   * @param {typeof import('ioredis').Redis} options.Redis
   */
  constructor({ port, dir, persistence, track, Redis }) {
    this.Redis = Redis;
    this.port = port;
    this.dir = dir;
    this.persistence = persistence;
    this.track = track;
    this.url = `redis://127.0.0.1:${port}`;
    this.starts = 0;
  }

  args() {
    const persistence =
      this.persistence === 'none'
        ? ['--appendonly', 'no']
        : ['--appendonly', 'yes', '--appendfsync', this.persistence];
    return [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      // No RDB snapshots: what survives a restart is what the AOF kept.
      '--save',
      '',
      ...persistence,
    ];
  }

  /** Starts and waits until it answers PING (after loading its AOF). */
  async start() {
    this.starts++;
    const log = createWriteStream(join(this.dir, `redis-${this.starts}.log`));
    this.proc = spawn('redis-server', this.args(), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.track(this.proc);
    this.proc.stdout.pipe(log);
    this.proc.stderr.pipe(log);
    this.exited = new Promise(done =>
      this.proc.once('exit', (code, signal) => done({ code, signal })),
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.proc.exitCode !== null) {
        throw new Error(`redis-server exited at start; see ${log.path}`);
      }
      const client = new this.Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      // Not ready (LOADING) while the AOF is replayed.
      const pong = await client
        .connect()
        .then(() => client.ping())
        .catch(() => undefined);
      client.disconnect();
      if (pong === 'PONG') return;
      if (Date.now() > deadline) throw new Error('redis-server never ready');
      await sleep(50);
    }
  }

  /** SHUTDOWN: Redis fsyncs the AOF and exits. */
  async shutdown() {
    const client = new this.Redis(this.url, { maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    // The connection closes instead of a reply.
    await client.call('SHUTDOWN').catch(() => {});
    client.disconnect();
    return this.exited;
  }

  /** What each start loaded, from its log: the proof the AOF was replayed. */
  loadLines() {
    const lines = [];
    for (let start = 1; start <= this.starts; start++) {
      const log = readFileSync(join(this.dir, `redis-${start}.log`), 'utf8');
      const loaded = /DB loaded from append only file.*/.exec(log);
      lines.push(`start ${start}: ${loaded ? loaded[0] : 'nothing loaded'}`);
    }
    return lines;
  }

  async kill9() {
    this.proc.kill('SIGKILL');
    return this.exited;
  }
}
