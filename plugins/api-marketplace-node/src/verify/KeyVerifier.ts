import { timingSafeEqual } from 'node:crypto';
import {
  KeyEnvironment,
  apiKeyChecksumValid,
  hashApiKey,
  parseApiKey,
} from '../keys';
import { extractPresentedKey } from './extractKey';
import { IpAllowList } from './IpAllowList';
import { LruCache } from './LruCache';
import type { RevocationBus } from './RevocationBus';
import type {
  KeyLookup,
  KeyRejection,
  KeyRejectionCode,
  VerifiableKey,
  VerifyInput,
  VerifyResult,
} from './types';

export interface KeyVerifierOptions {
  lookup: KeyLookup;
  /** Evictions from the control plane; without it only the TTL applies. */
  bus?: RevocationBus;
  /** Default 10,000 keys. */
  maxEntries?: number;
  /** How long a found key is trusted without a lookup. Default 5 s. */
  ttlMs?: number;
  /** How long an unknown key id is remembered. Default 1 s. */
  negativeTtlMs?: number;
  /**
   * When the lookup fails (database down), a key seen within this window is
   * still served from cache. Evicted keys are gone and never served. Default 60 s.
   */
  staleIfErrorMs?: number;
  /**
   * Past `ttlMs`, a found key is still served for this long while one lookup
   * refreshes it in the background (stale-while-revalidate): a key in steady
   * use then never waits for storage after its first call, and storage sees
   * one lookup per key per TTL, off the request path. Evictions from the bus
   * apply at once as always (an evicted key is never served stale); without
   * a bus, a change can take one more call to show. Default 0: every call
   * past the TTL waits for the lookup.
   */
  staleWhileRevalidateMs?: number;
  now?: () => number;
}

/** One cached lookup: the record plus what is precomputed from it. */
interface Entry {
  record?: VerifiableKey;
  hash?: Buffer;
  allow?: IpAllowList;
  products?: ReadonlySet<string>;
  expiresAtMs: number;
  graceEndsAtMs: number;
  loadedAt: number;
  freshUntil: number;
  /** Until when it is served while a refresh runs (= freshUntil: never). */
  staleUntil: number;
}

const REJECTIONS = Object.fromEntries(
  (
    [
      'missing_key',
      'invalid_key',
      'expired_key',
      'revoked_key',
      'wrong_environment',
      'not_scoped',
      'ip_not_allowed',
      'partner_suspended',
      'service_unavailable',
    ] as const
  ).map(code => [code, Object.freeze({ ok: false, code })]),
) as Record<KeyRejectionCode, KeyRejection>;

/** Epoch ms of an ISO time; an unparseable one reads as long past (fail closed). */
function timeOf(iso: string | undefined, absent: number): number {
  if (iso === undefined) return absent;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? -Infinity : ms;
}

function hashMatches(stored: Buffer, presentedHex: string): boolean {
  const presented = Buffer.from(presentedHex, 'hex');
  return (
    stored.length === presented.length && timingSafeEqual(stored, presented)
  );
}

/**
 * Verifies presented keys: format and checksum first (garbage never reaches
 * storage), then a short-lived in-process cache of the stored record, then
 * the lookup. The cache holds the record, not a verdict: the hash is compared
 * in constant time and every status check runs on every call.
 */
export class KeyVerifier {
  private readonly lookup: KeyLookup;
  private readonly cache: LruCache<Entry>;
  private readonly inflight = new Map<string, Promise<Entry>>();
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly staleIfErrorMs: number;
  private readonly staleWhileRevalidateMs: number;
  private readonly now: () => number;
  private readonly unsubscribe?: () => void;

  constructor(options: KeyVerifierOptions) {
    this.lookup = options.lookup;
    this.cache = new LruCache(options.maxEntries ?? 10_000);
    this.ttlMs = options.ttlMs ?? 5_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 1_000;
    this.staleIfErrorMs = options.staleIfErrorMs ?? 60_000;
    this.staleWhileRevalidateMs = Math.max(
      0,
      options.staleWhileRevalidateMs ?? 0,
    );
    this.now = options.now ?? Date.now;
    this.unsubscribe = options.bus?.subscribe({
      evict: keyId => this.evict(keyId),
      evictAll: () => this.evictAll(),
    });
  }

  async verify(input: VerifyInput): Promise<VerifyResult> {
    const presented = extractPresentedKey(input.headers);
    if (!presented) return REJECTIONS.missing_key;
    const parsed = parseApiKey(presented);
    if (!parsed) return REJECTIONS.invalid_key;

    const now = this.now();
    let entry = this.cache.get(parsed.keyId);
    if (entry === undefined || entry.freshUntil <= now) {
      // Storage is about to be asked: typos and garbage stop here. A cached
      // key needs no checksum: its full hash is compared below.
      if (!apiKeyChecksumValid(presented)) return REJECTIONS.invalid_key;
      if (entry !== undefined && now < entry.staleUntil) {
        this.refresh(parsed.keyId);
        return this.judge(entry, presented, parsed.environment, input, now);
      }
      try {
        entry = await this.load(parsed.keyId);
      } catch {
        if (
          entry === undefined ||
          entry.record === undefined ||
          now - entry.loadedAt > this.staleIfErrorMs
        ) {
          return REJECTIONS.service_unavailable;
        }
      }
    }
    return this.judge(entry, presented, parsed.environment, input, now);
  }

  /**
   * `verify` without waiting: the verdict when the key's record is cached
   * and fresh (or the key is refused on its shape alone), undefined when
   * only `verify` can tell because storage must be asked.
   */
  verifyCached(input: VerifyInput): VerifyResult | undefined {
    const presented = extractPresentedKey(input.headers);
    if (!presented) return REJECTIONS.missing_key;
    const parsed = parseApiKey(presented);
    if (!parsed) return REJECTIONS.invalid_key;
    const now = this.now();
    const entry = this.cache.get(parsed.keyId);
    if (entry === undefined) return undefined;
    if (entry.freshUntil <= now) {
      if (now >= entry.staleUntil) return undefined;
      if (!apiKeyChecksumValid(presented)) return REJECTIONS.invalid_key;
      this.refresh(parsed.keyId);
    }
    return this.judge(entry, presented, parsed.environment, input, now);
  }

  private judge(
    entry: Entry,
    presented: string,
    environment: KeyEnvironment,
    input: VerifyInput,
    now: number,
  ): VerifyResult {
    const record = entry.record;
    if (
      record === undefined ||
      entry.hash === undefined ||
      !hashMatches(entry.hash, hashApiKey(presented)) ||
      record.environment !== environment
    ) {
      return REJECTIONS.invalid_key;
    }
    if (
      record.status === 'revoked' ||
      (record.status === 'rotating' && now >= entry.graceEndsAtMs)
    ) {
      return REJECTIONS.revoked_key;
    }
    if (now >= entry.expiresAtMs) return REJECTIONS.expired_key;
    if (record.partnerStatus !== 'active') {
      return REJECTIONS.partner_suspended;
    }
    if (
      input.environment !== undefined &&
      input.environment !== record.environment
    ) {
      return REJECTIONS.wrong_environment;
    }
    if (entry.allow !== undefined && !entry.allow.allows(input.clientIp)) {
      return REJECTIONS.ip_not_allowed;
    }
    const plan = record.plans[input.productId];
    if (plan === undefined || !entry.products!.has(input.productId)) {
      return REJECTIONS.not_scoped;
    }
    return {
      ok: true,
      keyId: record.id,
      partnerId: record.partnerId,
      environment: record.environment,
      productId: input.productId,
      plan,
    };
  }

  /** Forgets one key here; in-flight lookups of it are not cached either. */
  evict(keyId: string): void {
    this.cache.delete(keyId);
    this.inflight.delete(keyId);
  }

  evictAll(): void {
    this.cache.clear();
    this.inflight.clear();
  }

  /** Stops listening to the revocation bus. */
  close(): void {
    this.unsubscribe?.();
  }

  /** A background lookup of a stale entry; on failure the entry stays. */
  private refresh(keyId: string): void {
    this.load(keyId).catch(() => undefined);
  }

  /** One lookup per key id at a time, however many calls are waiting. */
  private load(keyId: string): Promise<Entry> {
    const running = this.inflight.get(keyId);
    if (running) return running;
    const loading = this.lookup.findByKeyId(keyId).then(
      record => {
        const entry = this.toEntry(record);
        // Evicted while loading: the answer may predate the change.
        if (this.inflight.get(keyId) === loading) {
          this.inflight.delete(keyId);
          this.cache.set(keyId, entry);
        }
        return entry;
      },
      error => {
        if (this.inflight.get(keyId) === loading) this.inflight.delete(keyId);
        throw error;
      },
    );
    this.inflight.set(keyId, loading);
    return loading;
  }

  private toEntry(record: VerifiableKey | undefined): Entry {
    const now = this.now();
    if (record === undefined) {
      return {
        expiresAtMs: -Infinity,
        graceEndsAtMs: -Infinity,
        loadedAt: now,
        freshUntil: now + this.negativeTtlMs,
        staleUntil: now + this.negativeTtlMs,
      };
    }
    return {
      record,
      hash: Buffer.from(record.keyHash, 'hex'),
      allow: IpAllowList.compile(record.allowedIps),
      products: new Set(record.productIds),
      expiresAtMs: timeOf(record.expiresAt, Infinity),
      // A rotating key without a grace end is treated as past its grace.
      graceEndsAtMs: timeOf(record.graceEndsAt, -Infinity),
      loadedAt: now,
      freshUntil: now + this.ttlMs,
      staleUntil: now + this.ttlMs + this.staleWhileRevalidateMs,
    };
  }
}
