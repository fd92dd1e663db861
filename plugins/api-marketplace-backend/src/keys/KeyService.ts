import { isIP } from 'node:net';
import { AuditorService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  KeyEnvironment,
  generateApiKey,
} from '@portico/plugin-api-marketplace-node';
import { AuditStore } from '../database/AuditStore';
import type { KeyEvictions } from '../gateway/KeyEvictions';
import {
  ApiKeySummary,
  KeyStore,
  NewApiKey,
  toSummary,
} from '../database/KeyStore';
import { Partner } from '../database/PartnerStore';
import { SubscriptionStore } from '../database/SubscriptionStore';

export const DEFAULT_GRACE_HOURS = 24;
export const MAX_GRACE_HOURS = 720;
const MAX_KEYS_PER_PARTNER = 500;

export type CreateKeyRequest = {
  name: string;
  productIds: string[];
  environment: KeyEnvironment;
  expiresAt?: string;
  allowedIps?: string[];
};

/** A key with its secret: returned by create and rotate, and never again. */
export type IssuedApiKey = ApiKeySummary & { key: string };

/** Accepts IPv4/IPv6 addresses and CIDR ranges. */
export function parseAllowedIps(entries: string[]): string[] {
  return entries.map(raw => {
    const entry = raw.trim();
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (
      !family ||
      extra !== undefined ||
      (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || bits! > max))
    ) {
      throw new InputError(
        `allowedIps: '${raw}' is not an IP address or CIDR range`,
      );
    }
    return entry;
  });
}

/** Creating, rotating and revoking a partner's keys. */
export class KeyService {
  constructor(
    private readonly keys: KeyStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly audit: AuditStore,
    private readonly auditor: AuditorService,
    /** Tells the gateways' caches; without it only their TTL applies. */
    private readonly evictions?: Pick<KeyEvictions, 'key'>,
  ) {}

  async list(partner: Partner): Promise<ApiKeySummary[]> {
    return (await this.keys.list(partner.id)).map(toSummary);
  }

  async create(
    partner: Partner,
    actorRef: string,
    request: CreateKeyRequest,
  ): Promise<IssuedApiKey> {
    const name = request.name.trim();
    if (!name) throw new InputError('name must not be empty');
    const productIds = [...new Set(request.productIds)];
    if (productIds.length === 0)
      throw new InputError('productIds must name at least one API product');
    const live = await this.subscriptions.list(partner.id);
    const subscribed = new Set(
      live.filter(s => s.status === 'active').map(s => s.productId),
    );
    const missing = productIds.filter(id => !subscribed.has(id));
    if (missing.length) {
      throw new InputError(
        `Not subscribed to: ${missing.join(
          ', ',
        )}. Subscribe before creating a key for it.`,
      );
    }
    let expiresAt: Date | undefined;
    if (request.expiresAt !== undefined) {
      expiresAt = new Date(request.expiresAt);
      if (Number.isNaN(expiresAt.getTime()))
        throw new InputError('expiresAt is not a valid date-time');
      if (expiresAt.getTime() <= Date.now())
        throw new InputError('expiresAt must be in the future');
    }
    const allowedIps = parseAllowedIps(request.allowedIps ?? []);
    if ((await this.keys.list(partner.id)).length >= MAX_KEYS_PER_PARTNER) {
      throw new ConflictError(
        `A partner may hold at most ${MAX_KEYS_PER_PARTNER} keys; revoke unused ones`,
      );
    }

    const generated = generateApiKey(request.environment);
    const record = await this.withAuditorEvent(
      'api-key-create',
      actorRef,
      partner,
      generated.keyId,
      () =>
        this.keys.insert({
          id: generated.keyId,
          partnerId: partner.id,
          name,
          prefix: generated.prefix,
          keyHash: generated.hash,
          environment: request.environment,
          productIds,
          allowedIps,
          expiresAt,
          createdBy: actorRef,
        }),
    );
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'key.created',
      targetType: 'api-key',
      targetId: record.id,
      details: {
        name,
        environment: request.environment,
        productIds,
        prefix: record.prefix,
      },
    });
    return { ...toSummary(record), key: generated.key };
  }

  async rotate(
    partner: Partner,
    actorRef: string,
    keyId: string,
    gracePeriodHours: number = DEFAULT_GRACE_HOURS,
  ): Promise<IssuedApiKey & { replaces: string; graceEndsAt: string }> {
    if (
      !Number.isFinite(gracePeriodHours) ||
      gracePeriodHours < 0 ||
      gracePeriodHours > MAX_GRACE_HOURS
    ) {
      throw new InputError(
        `gracePeriodHours must be between 0 and ${MAX_GRACE_HOURS}`,
      );
    }
    const old = await this.keys.get(partner.id, keyId);
    if (!old) throw new NotFoundError(`No key with id '${keyId}'`);
    if (old.status !== 'active') {
      throw new ConflictError(
        `Key '${keyId}' is ${old.status}; only active keys can be rotated`,
      );
    }
    const generated = generateApiKey(old.environment);
    const replacement: NewApiKey = {
      id: generated.keyId,
      partnerId: partner.id,
      name: old.name,
      prefix: generated.prefix,
      keyHash: generated.hash,
      environment: old.environment,
      productIds: old.productIds,
      allowedIps: old.allowedIps,
      expiresAt: old.expiresAt ? new Date(old.expiresAt) : undefined,
      createdBy: actorRef,
    };
    const graceEndsAt = new Date(Date.now() + gracePeriodHours * 3600_000);
    const record = await this.withAuditorEvent(
      'api-key-rotate',
      actorRef,
      partner,
      keyId,
      () => this.keys.rotate(old, replacement, graceEndsAt),
    );
    if (!record) {
      throw new ConflictError(
        `Key '${keyId}' was changed concurrently; only active keys can be rotated`,
      );
    }
    // The old key now has a grace end: gateways must re-read it.
    await this.evictions?.key(keyId);
    await this.audit.append({
      partnerId: partner.id,
      actorRef,
      action: 'key.rotated',
      targetType: 'api-key',
      targetId: keyId,
      details: {
        replacedBy: record.id,
        gracePeriodHours,
        graceEndsAt: graceEndsAt.toISOString(),
      },
    });
    return {
      ...toSummary(record),
      key: generated.key,
      replaces: keyId,
      graceEndsAt: graceEndsAt.toISOString(),
    };
  }

  async revoke(
    partner: Partner,
    actorRef: string,
    keyId: string,
  ): Promise<void> {
    const existing = await this.keys.get(partner.id, keyId);
    if (!existing) throw new NotFoundError(`No key with id '${keyId}'`);
    await this.withAuditorEvent(
      'api-key-revoke',
      actorRef,
      partner,
      keyId,
      () => this.keys.revoke(partner.id, keyId),
    );
    await this.evictions?.key(keyId);
    if (existing.status !== 'revoked') {
      await this.audit.append({
        partnerId: partner.id,
        actorRef,
        action: 'key.revoked',
        targetType: 'api-key',
        targetId: keyId,
        details: { name: existing.name },
      });
    }
  }

  /** Wraps a key change in an auditor event: ids only, never the key. */
  private async withAuditorEvent<T>(
    eventId: string,
    actorRef: string,
    partner: Partner,
    keyId: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await this.auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      meta: { actorRef, partnerId: partner.id, keyId },
    });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}
