import { Knex } from 'knex';
import type { KeyEnvironment } from '@portico/plugin-api-marketplace-node';
import { toIso } from './dates';

export type ApiKeyStatus = 'active' | 'rotating' | 'revoked';

/** A key as partners see it: never the key, never its hash. */
export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  environment: KeyEnvironment;
  productIds: string[];
  allowedIps: string[];
  status: ApiKeyStatus;
  expiresAt?: string;
  graceEndsAt?: string;
  replacedBy?: string;
  lastUsedAt?: string;
  createdBy: string;
  createdAt: string;
  revokedAt?: string;
};

/** A key as the verifier needs it. */
export type ApiKeyRecord = ApiKeySummary & {
  partnerId: string;
  keyHash: string;
};

function toRecord(row: any): ApiKeyRecord {
  return {
    id: row.id,
    partnerId: row.partner_id,
    keyHash: row.key_hash,
    name: row.name,
    prefix: row.prefix,
    environment: row.environment,
    productIds: JSON.parse(row.product_ids),
    allowedIps: row.allowed_ips ? JSON.parse(row.allowed_ips) : [],
    status: row.status,
    expiresAt: toIso(row.expires_at),
    graceEndsAt: toIso(row.grace_ends_at),
    replacedBy: row.replaced_by ?? undefined,
    lastUsedAt: toIso(row.last_used_at),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at)!,
    revokedAt: toIso(row.revoked_at),
  };
}

/** Strips what must never leave the server. */
export function toSummary(record: ApiKeyRecord): ApiKeySummary {
  const { partnerId: _partnerId, keyHash: _keyHash, ...summary } = record;
  return summary;
}

export type NewApiKey = {
  id: string;
  partnerId: string;
  name: string;
  prefix: string;
  keyHash: string;
  environment: KeyEnvironment;
  productIds: string[];
  allowedIps: string[];
  expiresAt?: Date;
  createdBy: string;
};

/** API keys, stored as hashes only. */
export class KeyStore {
  constructor(private readonly db: Knex) {}

  private toRow(key: NewApiKey) {
    return {
      id: key.id,
      partner_id: key.partnerId,
      name: key.name,
      prefix: key.prefix,
      key_hash: key.keyHash,
      environment: key.environment,
      product_ids: JSON.stringify(key.productIds),
      allowed_ips: key.allowedIps.length
        ? JSON.stringify(key.allowedIps)
        : null,
      status: 'active',
      expires_at: key.expiresAt ?? null,
      created_by: key.createdBy,
      created_at: new Date(),
    };
  }

  async insert(key: NewApiKey): Promise<ApiKeyRecord> {
    await this.db('api_keys').insert(this.toRow(key));
    return (await this.findById(key.id))!;
  }

  /** For the verifier: by the id embedded in the key. */
  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db('api_keys').where({ id }).first();
    return row ? toRecord(row) : undefined;
  }

  /** A partner's key; another partner's id reads as missing. */
  async get(partnerId: string, id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db('api_keys')
      .where({ id, partner_id: partnerId })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async list(partnerId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db('api_keys')
      .where({ partner_id: partnerId })
      .orderBy('created_at', 'desc');
    return rows.map(toRecord);
  }

  /**
   * Issues the replacement and puts the old key into its grace period in one
   * transaction; only an active key can be rotated, so two concurrent
   * rotations cannot both succeed.
   */
  async rotate(
    old: ApiKeyRecord,
    replacement: NewApiKey,
    graceEndsAt: Date,
  ): Promise<ApiKeyRecord | undefined> {
    return this.db.transaction(async tx => {
      const immediate = graceEndsAt.getTime() <= Date.now();
      const updated = await tx('api_keys')
        .where({ id: old.id, partner_id: old.partnerId, status: 'active' })
        .update({
          status: immediate ? 'revoked' : 'rotating',
          grace_ends_at: graceEndsAt,
          replaced_by: replacement.id,
          ...(immediate ? { revoked_at: new Date() } : {}),
        });
      if (updated === 0) return undefined;
      await tx('api_keys').insert(this.toRow(replacement));
      return toRecord(
        await tx('api_keys').where({ id: replacement.id }).first(),
      );
    });
  }

  async revoke(partnerId: string, id: string): Promise<boolean> {
    const updated = await this.db('api_keys')
      .where({ id, partner_id: partnerId })
      .whereNot({ status: 'revoked' })
      .update({ status: 'revoked', revoked_at: new Date() });
    return updated > 0;
  }

  /** Records use at most once a minute per key, off the hot path. */
  async touch(ids: string[], at: Date): Promise<void> {
    if (ids.length) {
      await this.db('api_keys').whereIn('id', ids).update({ last_used_at: at });
    }
  }
}
