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
import type { KeyEnvironment } from '../keys';
import { LruCache } from '../verify/LruCache';
import {
  NO_RATE_REPLY,
  decisionFromReply,
  gcraParams,
  groupCallReply,
} from './gcra';
import { LIMITER_SCRIPT } from './limiterScript';
import type { LimitDecision, LimitRequest, RateLimiter } from './types';

/** One call waiting for its batch. */
interface Pending {
  /**
   * Its key names as of its own clock: the cached `KeyNames` move on to the
   * next minute (and month) while earlier calls may still wait.
   */
  rateKey: string;
  quotaKey: string;
  usageKey: string;
  at: number;
  intervalUs: number;
  burst: number;
  quota: number;
  quotaEnd: number;
  resolve(decision: LimitDecision): void;
  reject(error: unknown): void;
}

/**
 * Consecutive calls of one batch on the same key, at the same millisecond,
 * with the same plan: sent to the script once, with their count, and decided
 * one by one there. A busy key's calls cost the script arguments of one.
 */
interface Group {
  first: Pending;
  calls: Pending[];
}

/** The Redis key names of one key × product × environment, reused across calls. */
interface KeyNames {
  partnerId: string;
  keyId: string;
  productId: string;
  environment: KeyEnvironment;
  rate: string;
  month: string;
  quota: string;
  minute: number;
  usage: string;
}

export interface RedisRateLimiterOptions {
  prefix?: string;
  now?: () => number;
  /** Most calls per script run. Default 128. */
  maxBatch?: number;
  /**
   * Script runs awaiting their reply at once; calls that arrive meanwhile
   * wait and go together in the next run. Default 1: each round trip admits
   * everything that arrived during the previous one. Unlimited (`Infinity`)
   * sends every event-loop turn's calls at once.
   */
  maxInFlight?: number;
}

/**
 * Rate limits and quotas shared by every replica, in one round
 * trip per call.
 *
 * Calls are micro-batched: the ones that arrive in the same event-loop turn
 * (every request parsed from the sockets that were readable together), and
 * while a previous batch is still on its way to Redis and back, are
 * admitted by one EVALSHA that decides them one by one, in arrival order.
 * One command for Redis to parse and one script run instead of one per call,
 * which is most of the limiter's cost on both sides, with the same
 * decisions as single calls. When Redis is idle a call is sent at the end
 * of the turn it arrived in; under load it waits at most one round trip, and
 * batches grow with the load instead of the number of round trips. On a
 * Redis Cluster, batches are per partner (all of a partner's keys share a
 * slot); elsewhere any calls can share one.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly perPartner: boolean;
  /** Enough for the keys active at once; the coldest are forgotten first. */
  private readonly names = new LruCache<KeyNames>(50_000);
  private batches = new Map<string, Pending[]>();
  private waiting = 0;
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly client: Redis | Cluster,
    options: RedisRateLimiterOptions = {},
  ) {
    this.prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
    this.now = options.now ?? Date.now;
    this.maxBatch = Math.max(1, options.maxBatch ?? 128);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.perPartner = (client as { isCluster?: boolean }).isCluster === true;
    void LIMITER_SCRIPT.load(client);
  }

  check(request: LimitRequest): Promise<LimitDecision> {
    const at = Math.floor(request.now ?? this.now());
    const params = gcraParams(request);
    if (params.intervalUs === 0) {
      return Promise.resolve(
        decisionFromReply(NO_RATE_REPLY, 0, at, false, params.quota >= 0),
      );
    }
    const names = this.namesOf(request, at);
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        rateKey: names.rate,
        quotaKey: names.quota,
        usageKey: names.usage,
        at,
        intervalUs: params.intervalUs,
        burst: params.burst,
        quota: params.quota,
        quotaEnd: monthOf(at).endMs,
        resolve,
        reject,
      };
      const group = this.perPartner ? request.partnerId : '';
      let batch = this.batches.get(group);
      if (batch === undefined) {
        batch = [];
        this.batches.set(group, batch);
      }
      batch.push(pending);
      this.waiting++;
      if (batch.length >= this.maxBatch) {
        // Full: no point waiting for a reply to send it.
        this.batches.delete(group);
        this.waiting -= batch.length;
        this.run(batch);
      } else {
        this.schedule();
      }
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting === 0) return;
    if (this.inFlight >= this.maxInFlight) return; // sent when a reply comes
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = () => {
    this.scheduled = false;
    if (this.waiting === 0) return;
    const batches = this.batches;
    this.batches = new Map();
    this.waiting = 0;
    for (const batch of batches.values()) this.run(batch);
  };

  /** Key names depend on the month and minute: rebuilt when those change. */
  private namesOf(request: LimitRequest, at: number): KeyNames {
    const { partnerId, keyId, productId, environment } = request;
    const id = `${keyId}\u0000${productId}\u0000${partnerId}\u0000${environment}`;
    let names = this.names.get(id);
    if (names === undefined) {
      names = {
        partnerId,
        keyId,
        productId,
        environment,
        rate: rateKey(this.prefix, partnerId, keyId, productId),
        month: '',
        quota: '',
        minute: -1,
        usage: '',
      };
      this.names.set(id, names);
    }
    const minute = minuteStart(at);
    if (names.minute !== minute) {
      const month = monthOf(at).id;
      if (names.month !== month) {
        names.month = month;
        names.quota = quotaKey(
          this.prefix,
          partnerId,
          productId,
          environment,
          month,
        );
      }
      names.minute = minute;
      names.usage = usageKey(
        this.prefix,
        partnerId,
        productId,
        environment,
        minute,
      );
    }
    return names;
  }

  /**
   * Consecutive calls with the same key, clock and plan share a group: the
   * script still decides them in call order.
   */
  private groupsOf(calls: Pending[]): Group[] {
    const groups: Group[] = [];
    let group: Group | undefined;
    for (const call of calls) {
      const first = group?.first;
      if (
        first !== undefined &&
        first.rateKey === call.rateKey &&
        first.quotaKey === call.quotaKey &&
        first.at === call.at &&
        first.intervalUs === call.intervalUs &&
        first.burst === call.burst &&
        first.quota === call.quota
      ) {
        group!.calls.push(call);
      } else {
        group = { first: call, calls: [call] };
        groups.push(group);
      }
    }
    return groups;
  }

  private run(calls: Pending[]): void {
    const groups = this.groupsOf(calls);
    const n = groups.length;
    const keys = new Array<string>(n * 3);
    const args = new Array<number>(3 + n * 6);
    args[0] = USAGE_BUCKET_TTL_SECONDS;
    args[1] = n;
    args[2] = QUOTA_GRACE_MS;
    for (let i = 0; i < n; i++) {
      const { first, calls: members } = groups[i];
      keys[i * 3] = first.rateKey;
      keys[i * 3 + 1] = first.quotaKey;
      keys[i * 3 + 2] = first.usageKey;
      const a = 3 + i * 6;
      args[a] = first.at;
      args[a + 1] = first.intervalUs;
      args[a + 2] = first.burst;
      args[a + 3] = first.quota;
      args[a + 4] = first.quotaEnd;
      args[a + 5] = members.length;
    }
    this.inFlight++;
    LIMITER_SCRIPT.run(this.client, keys, args).then(
      reply => {
        this.inFlight--;
        const values = reply as number[];
        for (let i = 0; i < n; i++) {
          const { first, calls: members } = groups[i];
          const verdict = {
            admitted: values[i * 3],
            tatAheadUs: values[i * 3 + 1],
            quotaUsed: values[i * 3 + 2],
          };
          const params = {
            intervalUs: first.intervalUs,
            burst: first.burst,
            quota: first.quota,
            nowMs: first.at,
            quotaEnd: first.quotaEnd,
          };
          for (let j = 0; j < members.length; j++) {
            members[j].resolve(
              decisionFromReply(
                groupCallReply(params, verdict, j),
                0,
                first.at,
                true,
                first.quota >= 0,
              ),
            );
          }
        }
        this.schedule();
      },
      error => {
        this.inFlight--;
        for (const call of calls) call.reject(error);
        // The calls queued behind a failed round trip would most likely
        // wait for a timeout of their own: fail them now too, so that a
        // fallback limiter takes over at once.
        this.rejectWaiting(error);
      },
    );
  }

  private rejectWaiting(error: unknown): void {
    if (this.waiting === 0) return;
    const batches = this.batches;
    this.batches = new Map();
    this.waiting = 0;
    for (const batch of batches.values()) {
      for (const call of batch) call.reject(error);
    }
  }
}
