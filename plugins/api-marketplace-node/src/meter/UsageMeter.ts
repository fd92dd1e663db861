import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { minuteStart } from '../keyspace';
import { isBillableStatus, quotaAdjustment } from './billing';
import { LATENCY_BUCKETS, latencyBucketOf } from './latency';
import { statusClassOf } from './types';
import type {
  MeterBatch,
  MeterRow,
  MeterSink,
  MeteredCall,
} from './usageTypes';

export interface UsageMeterOptions {
  sink: MeterSink;
  /** Default 100 ms. */
  flushIntervalMs?: number;
  /**
   * Rows (partner × product × environment × minute aggregates) kept while the
   * sink is unreachable; beyond it the oldest batches are dropped and counted
   * in `stats.droppedRows`. Default 100,000 rows, a few tens of MB, which is
   * hours of traffic for thousands of active partner × product pairs.
   */
  maxBufferedRows?: number;
  /**
   * Rows per batch: one script run each, which blocks Redis while it runs,
   * so batches stay small. Default 100.
   */
  maxRowsPerBatch?: number;
  /** Tests drive `flush()` themselves. Default true. */
  autoFlush?: boolean;
  logger?: Pick<LoggerService, 'warn' | 'info'>;
}

const CLASS_INDEX = { '2xx': 0, '3xx': 1, '4xx': 2, '5xx': 3 } as const;

/**
 * Meters finished calls off the hot path: `record` only adds to an in-memory
 * aggregate; a timer seals the aggregate into batches (each with a fresh
 * id; per partner when the sink needs it) and writes them in one pipelined
 * round trip. Batches that
 * fail stay queued, bounded, and are retried as they are, under the same id:
 * the sink applies an id at most once, so a retry after a lost reply never
 * counts twice.
 */
export class UsageMeter {
  private readonly sink: MeterSink;
  private readonly maxBufferedRows: number;
  private readonly maxRowsPerBatch: number;
  private readonly logger?: Pick<LoggerService, 'warn' | 'info'>;
  private current = new Map<string, MeterRow>();
  /** The row of the previous call: consecutive calls often share one. */
  private last?: MeterRow;
  private pending: MeterBatch[] = [];
  private pendingRows = 0;
  private droppedRows = 0;
  private failing = false;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  private readonly timer?: NodeJS.Timeout;

  constructor(options: UsageMeterOptions) {
    this.sink = options.sink;
    this.maxBufferedRows = options.maxBufferedRows ?? 100_000;
    this.maxRowsPerBatch = options.maxRowsPerBatch ?? 100;
    this.logger = options.logger;
    if (options.autoFlush ?? true) {
      this.timer = setInterval(() => {
        if (!this.busy) void this.flush();
      }, options.flushIntervalMs ?? 100);
      this.timer.unref();
    }
  }

  record(call: MeteredCall): void {
    if (this.closed) return;
    const minute = minuteStart(call.at);
    let row = this.last;
    if (
      row === undefined ||
      row.minute !== minute ||
      row.partnerId !== call.partnerId ||
      row.productId !== call.productId ||
      row.environment !== call.environment
    ) {
      row = this.rowOf(call, minute);
      this.last = row;
    }
    row.statusCounts[CLASS_INDEX[statusClassOf(call.status)]]++;
    row.latencyUs += call.latencyMs * 1000;
    row.histogram[latencyBucketOf(call.latencyMs)]++;
    if (isBillableStatus(call.status)) row.billableDelta++;
    if (call.hasQuota) {
      row.quotaDelta += quotaAdjustment(call.status, call.quotaCounted);
    }
  }

  private rowOf(call: MeteredCall, minute: number): MeterRow {
    const id = `${call.partnerId}\u0000${call.productId}\u0000${call.environment}\u0000${minute}`;
    let row = this.current.get(id);
    if (row === undefined) {
      row = {
        partnerId: call.partnerId,
        productId: call.productId,
        environment: call.environment,
        minute,
        statusCounts: [0, 0, 0, 0],
        latencyUs: 0,
        histogram: new Array<number>(LATENCY_BUCKETS).fill(0),
        billableDelta: 0,
        quotaDelta: 0,
      };
      this.current.set(id, row);
    }
    return row;
  }

  /**
   * Writes everything recorded so far, plus earlier batches still queued.
   * Never rejects: what fails stays queued for the next flush.
   */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.flushOnce());
    return this.chain;
  }

  /** Stops the timer and flushes; returns the rows that could not be written. */
  async close(
    options: { attempts?: number } = {},
  ): Promise<{ unflushedRows: number }> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const attempts = options.attempts ?? 3;
    for (let i = 0; i < attempts; i++) {
      await this.flush();
      if (this.pending.length === 0) break;
    }
    if (this.pendingRows > 0) {
      this.logger?.warn(
        `Usage meter closed with ${this.pendingRows} unflushed rows; those calls are not metered`,
      );
    }
    return { unflushedRows: this.pendingRows };
  }

  get stats(): {
    bufferedRows: number;
    pendingBatches: number;
    droppedRows: number;
  } {
    return {
      bufferedRows: this.pendingRows + this.current.size,
      pendingBatches: this.pending.length,
      droppedRows: this.droppedRows,
    };
  }

  private seal(): void {
    if (this.current.size === 0) return;
    const groups = new Map<string | undefined, MeterRow[]>();
    const perPartner = this.sink.batchPerPartner === true;
    for (const row of this.current.values()) {
      const group = perPartner ? row.partnerId : undefined;
      const rows = groups.get(group);
      if (rows) rows.push(row);
      else groups.set(group, [row]);
    }
    this.current = new Map();
    this.last = undefined;
    for (const [partnerId, rows] of groups) {
      for (let i = 0; i < rows.length; i += this.maxRowsPerBatch) {
        const chunk = rows.slice(i, i + this.maxRowsPerBatch);
        this.pending.push({ id: randomUUID(), partnerId, rows: chunk });
        this.pendingRows += chunk.length;
      }
    }
    while (this.pendingRows > this.maxBufferedRows && this.pending.length > 1) {
      const dropped = this.pending.shift()!;
      this.pendingRows -= dropped.rows.length;
      this.droppedRows += dropped.rows.length;
      this.logger?.warn(
        `Usage meter buffer full (${this.maxBufferedRows} rows): dropped ${dropped.rows.length} rows`,
      );
    }
  }

  private async flushOnce(): Promise<void> {
    this.busy = true;
    try {
      this.seal();
      if (this.pending.length === 0) return;
      const batches = this.pending.slice();
      let applied: boolean[] = [];
      let reason: unknown = 'the store refused some batches';
      try {
        applied = await this.sink.apply(batches);
      } catch (error) {
        reason = error;
      }
      const done = new Set(batches.filter((_, i) => applied[i] === true));
      if (done.size > 0) {
        this.pending = this.pending.filter(batch => !done.has(batch));
        this.pendingRows = this.pending.reduce((n, b) => n + b.rows.length, 0);
      }
      const failed = done.size < batches.length;
      if (failed && !this.failing) {
        this.logger?.warn(
          `Usage meter cannot write, buffering up to ${this.maxBufferedRows} rows: ${reason}`,
        );
      } else if (this.failing && !failed) {
        this.logger?.info('Usage meter writing again; buffered rows replayed');
      }
      this.failing = failed;
    } finally {
      this.busy = false;
    }
  }
}
