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
  GcraParams,
  GroupVerdict,
  NO_RATE_REPLY,
  decisionFromReply,
  gcraParams,
  groupCallReply,
  hardQuotaOf,
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
  /** Its key's lease bookkeeping, when the plan allows leases. */
  lease?: LeaseState;
  /** Most admissions a lease of its key may hold. */
  leaseCap: number;
  resolve(decision: LimitDecision): void;
  reject(error: unknown): void;
}

/** Admissions granted ahead for a key, handed out by this replica. */
interface Lease {
  /** The group decision the leased admissions are the last ones of. */
  params: GcraParams & { nowMs: number; quotaEnd: number };
  verdict: GroupVerdict;
  /** Index in that group of the next admission to hand out; `end` is past the last. */
  next: number;
  end: number;
  expiresAt: number;
}

interface LeaseState {
  lease?: Lease;
  /** Calls of the key since its last lease was asked for, and when that was. */
  seen: number;
  askedAt?: number;
  asking: boolean;
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
  /**
   * Leases for busy keys. For a plan of at least `minRatePerSecond` and
   * without a monthly quota, a round trip that admits a key's calls also
   * asks for admissions ahead: the key's calls on this replica in the next
   * `ms` at its recent pace, at most `ms` worth of its rate (a lease holds
   * about what will be used, so replicas do not lease each other's share
   * away). This replica hands them to the key's next calls for `ms` without
   * asking Redis. They are admitted in Redis like calls at that instant, so
   * never more than GCRA allows; a call served from a lease is at most `ms`
   * later than its admission (over any window W: at most
   * burst + rate × (W + ms)), and what a replica has not used by then is
   * lost to the key. Default `{ ms: 50, minRatePerSecond: 1000 }`; `ms: 0`
   * turns leases off.
   */
  lease?: { ms?: number; minRatePerSecond?: number };
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
 * batches grow with the load instead of the number of round trips. Busy
 * keys of fast plans also lease admissions ahead (see `lease`). On a
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
  /** Lease bookkeeping by key id, then product. */
  private readonly leases = new LruCache<Map<string, LeaseState>>(50_000);
  private readonly leaseMs: number;
  private readonly minLeaseRate: number;
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
    this.leaseMs = Math.max(0, options.lease?.ms ?? 50);
    this.minLeaseRate = options.lease?.minRatePerSecond ?? 1000;
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
    const leaseCap = this.leaseCapOf(request);
    let lease: LeaseState | undefined;
    if (leaseCap > 0) {
      lease = this.leaseStateOf(request);
      lease.seen++;
      const leased = this.fromLease(lease, at);
      if (leased !== undefined) return Promise.resolve(leased);
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
        lease,
        leaseCap,
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

  /** A call of a busy key this replica holds a lease for, decided at once. */
  checkCached(request: LimitRequest): LimitDecision | undefined {
    if (this.leaseCapOf(request) === 0) return undefined;
    // By key id and product: strings the verifier hands out again and
    // again, so no key name is built for a call served from a lease.
    const state = this.leases.get(request.keyId)?.get(request.productId);
    if (state === undefined) return undefined;
    const leased = this.fromLease(state, Math.floor(request.now ?? this.now()));
    if (leased) state.seen++;
    return leased;
  }

  /**
   * Most admissions a lease for the request's key may hold; 0: no lease
   * (leases off, a monthly quota, or a plan slower than `minRatePerSecond`).
   */
  private leaseCapOf(request: LimitRequest): number {
    if (
      this.leaseMs === 0 ||
      hardQuotaOf(request) >= 0 ||
      !(request.ratePerSecond > 0) ||
      request.ratePerSecond < this.minLeaseRate
    ) {
      return 0;
    }
    return Math.max(
      1,
      Math.floor((request.ratePerSecond * this.leaseMs) / 1000),
    );
  }

  /** The next admission of the key's lease, if it holds one at `at`. */
  private fromLease(state: LeaseState, at: number): LimitDecision | undefined {
    const held = state.lease;
    if (
      held === undefined ||
      held.next >= held.end ||
      at >= held.expiresAt ||
      at < held.params.nowMs
    ) {
      return undefined;
    }
    const reply = groupCallReply(held.params, held.verdict, held.next++);
    return decisionFromReply(reply, 0, at, true, false);
  }

  private leaseStateOf(request: LimitRequest): LeaseState {
    let products = this.leases.get(request.keyId);
    if (products === undefined) {
      products = new Map();
      this.leases.set(request.keyId, products);
    }
    let state = products.get(request.productId);
    if (state === undefined) {
      state = { seen: 0, asking: false };
      products.set(request.productId, state);
    }
    return state;
  }

  /**
   * Admissions to ask ahead for each group: for a key that may lease and
   * has no lease request on its way, on its last group in the batch (so
   * that the key's own calls come first).
   */
  private leasesFor(groups: Group[]): number[] {
    const extra = new Array<number>(groups.length).fill(0);
    for (let i = groups.length - 1; i >= 0; i--) {
      const { first, calls } = groups[i];
      const state = first.lease;
      if (state === undefined || state.asking) continue;
      const held = state.lease;
      if (held && held.next < held.end && first.at < held.expiresAt) continue;
      // The key's pace here since the last ask, over a lease's lifetime.
      const pace =
        state.askedAt === undefined
          ? calls.length
          : Math.ceil(
              (state.seen * this.leaseMs) /
                Math.max(1, first.at - state.askedAt),
            );
      extra[i] = Math.min(first.leaseCap, pace);
      if (extra[i] === 0) continue;
      state.asking = true;
      state.seen = 0;
      state.askedAt = first.at;
    }
    return extra;
  }

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

  private run(batch: Pending[]): void {
    // A lease granted while these calls waited serves them first.
    const calls = batch.filter(call => {
      const leased = call.lease && this.fromLease(call.lease, call.at);
      if (leased) call.resolve(leased);
      return !leased;
    });
    if (calls.length === 0) return;
    const groups = this.groupsOf(calls);
    const n = groups.length;
    const extra = this.leasesFor(groups);
    const keys = new Array<string>(n * 3);
    const args = new Array<number>(3 + n * 7);
    args[0] = USAGE_BUCKET_TTL_SECONDS;
    args[1] = n;
    args[2] = QUOTA_GRACE_MS;
    for (let i = 0; i < n; i++) {
      const { first, calls: members } = groups[i];
      keys[i * 3] = first.rateKey;
      keys[i * 3 + 1] = first.quotaKey;
      keys[i * 3 + 2] = first.usageKey;
      const a = 3 + i * 7;
      args[a] = first.at;
      args[a + 1] = first.intervalUs;
      args[a + 2] = first.burst;
      args[a + 3] = first.quota;
      args[a + 4] = first.quotaEnd;
      args[a + 5] = members.length;
      args[a + 6] = extra[i];
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
          if (extra[i] > 0) this.grantLease(first, params, verdict, members);
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
        for (let i = 0; i < n; i++) {
          if (extra[i] > 0) groups[i].first.lease!.asking = false;
        }
        for (const call of calls) call.reject(error);
        // The calls queued behind a failed round trip would most likely
        // wait for a timeout of their own: fail them now too, so that a
        // fallback limiter takes over at once.
        this.rejectWaiting(error);
      },
    );
  }

  /** What Redis admitted beyond the group's calls becomes the key's lease. */
  private grantLease(
    first: Pending,
    params: Lease['params'],
    verdict: GroupVerdict,
    members: Pending[],
  ): void {
    const state = first.lease!;
    state.asking = false;
    state.lease =
      verdict.admitted > members.length
        ? {
            params,
            verdict,
            next: members.length,
            end: verdict.admitted,
            expiresAt: first.at + this.leaseMs,
          }
        : undefined;
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
