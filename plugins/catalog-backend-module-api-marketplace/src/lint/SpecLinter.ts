import { Worker } from 'node:worker_threads';
import { LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { SpecFormat } from '../ingest/parseSpecText';
import { LINT_WORKER_SOURCE, lintWorkerModules } from './lintWorkerSource';
import {
  RawLintFinding,
  RecordedLint,
  skippedLint,
  summarizeLint,
} from './summarizeLint';

/** Lint results kept in memory, by spec hash; each is a few kB at most. */
const MAX_REMEMBERED = 1000;
/** Heap of one lint worker; a 10 MB spec needs about 700 MB. */
const WORKER_HEAP_MB = 2048;

/** What is linted: a bundled spec. */
export type LintableSpec = {
  hash: string;
  definition: string;
  format: SpecFormat;
};

export type SpecLinterOptions = {
  logger: LoggerService;
  /**
   * How long {@link SpecLinter.lint} waits for a result before it returns a
   * `pending` one; the lint goes on and the next call gets its result.
   */
  waitMs: number;
  /** When a lint worker is terminated and the lint recorded as timed out. */
  timeoutMs: number;
  /** Lint workers that may run at once. */
  concurrency: number;
};

type WorkerMessage = { results: RawLintFinding[] } | { error: string };

/**
 * Lints bundled specs with Spectral's `oas` ruleset in worker threads, at
 * most once per spec hash.
 *
 * Lint findings never block publication, and neither does a slow lint: the
 * caller waits up to `waitMs`, then gets a `pending` result while the lint
 * runs on, up to `timeoutMs`, after which it is recorded as skipped.
 */
export class SpecLinter {
  private readonly results = new Map<string, Promise<RecordedLint>>();
  private readonly workers = new Set<Worker>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private closed = false;

  constructor(private readonly options: SpecLinterOptions) {}

  async lint(spec: LintableSpec): Promise<RecordedLint> {
    let result = this.results.get(spec.hash);
    if (result) {
      // Most recently used last, so that the oldest are forgotten first.
      this.results.delete(spec.hash);
    } else {
      result = this.run(spec);
    }
    this.remember(spec.hash, result);
    return this.waitFor(result);
  }

  /** Terminates running lints; later lints are skipped. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.splice(0).forEach(start => start());
    await Promise.all([...this.workers].map(worker => worker.terminate()));
  }

  private async run(spec: LintableSpec): Promise<RecordedLint> {
    await this.acquire();
    try {
      if (this.closed) {
        this.results.delete(spec.hash);
        return skippedLint('error', 'Lint skipped: the backend is stopping');
      }
      const started = Date.now();
      const result = await this.runWorker(spec).catch(error => {
        // The worker could not even be started.
        const message = toError(error).message;
        this.options.logger.warn(`Lint could not start: ${message}`);
        return skippedLint('error', `Lint failed: ${message}`);
      });
      this.options.logger.debug(
        `Linted spec ${spec.hash.slice(0, 12)} in ${Date.now() - started} ms`,
      );
      return result;
    } finally {
      this.release();
    }
  }

  private runWorker(spec: LintableSpec): Promise<RecordedLint> {
    const { logger, timeoutMs } = this.options;
    const id = spec.hash.slice(0, 12);
    return new Promise(resolve => {
      const worker = new Worker(LINT_WORKER_SOURCE, {
        eval: true,
        workerData: {
          text: spec.definition,
          format: spec.format,
          source: `spec-${id}.${spec.format}`,
          modules: lintWorkerModules(),
        },
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
      worker.unref();
      this.workers.add(worker);

      let settled = false;
      let timer: NodeJS.Timeout | undefined = undefined;
      const finish = (result: RecordedLint) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        this.workers.delete(worker);
        worker.terminate().catch(() => {});
        resolve(result);
      };
      const fail = (message: string) => {
        if (settled) {
          return;
        }
        if (this.closed) {
          finish(skippedLint('error', 'Lint stopped: the backend is stopping'));
          return;
        }
        logger.warn(`Lint of spec ${id} failed: ${message}`);
        finish(skippedLint('error', `Lint failed: ${message}`));
      };
      timer = setTimeout(() => {
        logger.warn(`Lint of spec ${id} timed out after ${timeoutMs} ms`);
        finish(
          skippedLint(
            'timeout',
            `Lint skipped: timeout after ${formatSeconds(timeoutMs)}`,
          ),
        );
      }, timeoutMs);

      worker.once('message', (message: WorkerMessage) => {
        if ('error' in message) {
          fail(message.error);
        } else {
          finish(summarizeLint(message.results));
        }
      });
      worker.once('error', error => fail(toError(error).message));
      worker.once('exit', code =>
        fail(`the lint worker exited with code ${code}`),
      );
    });
  }

  private async waitFor(result: Promise<RecordedLint>): Promise<RecordedLint> {
    const { waitMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const pending = new Promise<RecordedLint>(resolve => {
      timer = setTimeout(
        () =>
          resolve(
            skippedLint(
              'pending',
              `Lint still running after ${formatSeconds(
                waitMs,
              )}; its result is recorded on the next processing run`,
            ),
          ),
        waitMs,
      );
    });
    try {
      return await Promise.race([result, pending]);
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(hash: string, result: Promise<RecordedLint>) {
    this.results.set(hash, result);
    for (const oldest of this.results.keys()) {
      if (this.results.size <= MAX_REMEMBERED) {
        break;
      }
      this.results.delete(oldest);
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency || this.closed) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise(resolve =>
      this.waiting.push(() => {
        this.running += 1;
        resolve();
      }),
    );
  }

  private release() {
    this.running -= 1;
    this.waiting.shift()?.();
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
