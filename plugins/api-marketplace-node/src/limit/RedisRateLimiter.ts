import type { Cluster, Redis } from 'ioredis';
import {
  DEFAULT_KEY_PREFIX,
  QUOTA_GRACE_MS,
  USAGE_BUCKET_TTL_SECONDS,
  minuteStart,
  monthOf,
  quotaKey,
  rateKey,
  usageKey,
} from '../keyspace';
import {
  LimitReply,
  NO_RATE_REPLY,
  decisionFromReply,
  gcraParams,
} from './gcra';
import { LIMITER_SCRIPT } from './limiterScript';
import type { LimitDecision, LimitRequest, RateLimiter } from './types';

interface Pending {
  keys: string[];
  args: number[];
  at: number;
  hasQuota: boolean;
  resolve(decision: LimitDecision): void;
  reject(error: unknown): void;
}

export interface RedisRateLimiterOptions {
  prefix?: string;
  now?: () => number;
  /** Most calls per script run. Default 128. */
  maxBatch?: number;
}

/**
 * Rate, quota and billable counting shared by every replica, in one round
 * trip per call. The calls that arrive in the same event-loop turn (every
 * request parsed from the sockets that were readable together) are admitted
 * by one EVALSHA: one command for Redis to parse and one script run instead
 * of one per call, which is most of the limiter's cost on both sides. It
 * adds no waiting: the batch goes out at the end of the current turn. On a
 * Redis Cluster, batches are per partner (all of a partner's keys share a
 * slot); elsewhere any calls can share one.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly maxBatch: number;
  private readonly perPartner: boolean;
  private batches = new Map<string, Pending[]>();
  private scheduled = false;

  constructor(
    private readonly client: Redis | Cluster,
    options: RedisRateLimiterOptions = {},
  ) {
    this.prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
    this.now = options.now ?? Date.now;
    this.maxBatch = options.maxBatch ?? 128;
    this.perPartner = (client as { isCluster?: boolean }).isCluster === true;
    void LIMITER_SCRIPT.load(client);
  }

  check(request: LimitRequest): Promise<LimitDecision> {
    const at = Math.floor(request.now ?? this.now());
    const params = gcraParams(request);
    const hasQuota = params.quota >= 0;
    if (params.intervalUs === 0) {
      return Promise.resolve(
        decisionFromReply(NO_RATE_REPLY, at, false, hasQuota),
      );
    }
    const month = monthOf(at);
    const { partnerId, productId, environment } = request;
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        keys: [
          rateKey(this.prefix, partnerId, request.keyId, productId),
          quotaKey(this.prefix, partnerId, productId, environment, month.id),
          usageKey(
            this.prefix,
            partnerId,
            productId,
            environment,
            minuteStart(at),
          ),
        ],
        args: [
          at,
          params.intervalUs,
          params.burst,
          params.quota,
          month.endMs,
          month.endMs + QUOTA_GRACE_MS,
        ],
        at,
        hasQuota,
        resolve,
        reject,
      };
      const group = this.perPartner ? partnerId : '';
      const batch = this.batches.get(group);
      if (batch) batch.push(pending);
      else this.batches.set(group, [pending]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = () => {
    this.scheduled = false;
    const batches = this.batches;
    this.batches = new Map();
    for (const batch of batches.values()) {
      for (let i = 0; i < batch.length; i += this.maxBatch) {
        void this.run(batch.slice(i, i + this.maxBatch));
      }
    }
  };

  private async run(calls: Pending[]): Promise<void> {
    const keys: string[] = [];
    const args: number[] = [USAGE_BUCKET_TTL_SECONDS, calls.length];
    for (const call of calls) {
      keys.push(...call.keys);
      args.push(...call.args);
    }
    let reply: number[];
    try {
      reply = (await LIMITER_SCRIPT.run(this.client, keys, args)) as number[];
    } catch (error) {
      for (const call of calls) call.reject(error);
      return;
    }
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      call.resolve(
        decisionFromReply(
          reply.slice(i * 6, i * 6 + 6) as LimitReply,
          call.at,
          true,
          call.hasQuota,
        ),
      );
    }
  }
}
