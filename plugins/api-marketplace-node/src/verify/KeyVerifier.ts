import { timingSafeEqual } from 'node:crypto';
import { decodeApiKey } from '../keys';
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
  private readonly now: () => number;
  private readonly unsubscribe?: () => void;

  constructor(options: KeyVerifierOptions) {
    this.lookup = options.lookup;
    this.cache = new LruCache(options.maxEntries ?? 10_000);
    this.ttlMs = options.ttlMs ?? 5_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 1_000;
    this.staleIfErrorMs = options.staleIfErrorMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.unsubscribe = options.bus?.subscribe({
      evict: keyId => this.evict(keyId),
      evictAll: () => this.evictAll(),
    });
  }

  async verify(input: VerifyInput): Promise<VerifyResult> {
    const presented = extractPresentedKey(input.headers);
    if (!presented) return REJECTIONS.missing_key;
    const decoded = decodeApiKey(presented);
    if (!decoded) return REJECTIONS.invalid_key;

    const now = this.now();
    let entry = this.cache.get(decoded.keyId);
    if (entry === undefined || entry.freshUntil <= now) {
      try {
        entry = await this.load(decoded.keyId);
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

    const record = entry.record;
    if (
      record === undefined ||
      entry.hash === undefined ||
      !hashMatches(entry.hash, decoded.hash) ||
      record.environment !== decoded.environment
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
    };
  }
}
