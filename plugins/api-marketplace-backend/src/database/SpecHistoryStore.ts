import { Knex } from 'knex';
import type {
  SpecChangeItem,
  SpecVersion,
} from '@portico/plugin-api-marketplace-common';

/** A spec version as it is recorded. */
export interface NewSpecVersion {
  productId: string;
  entityRef: string;
  specHash: string;
  version: string;
  specText: string;
  /** What changed since the newest recorded spec. */
  changes: SpecChangeItem[];
}

/**
 * The spec history of every product: a chain of rows, each naming the row it
 * follows (`previous_id`, unique per product), so a spec that comes back
 * (A → B → A → B) is recorded every time.
 */
export class SpecHistoryStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records a version after the newest recorded one, unless that already is
   * this spec; returns whether a row was written. Safe to run concurrently
   * and to re-run: two recorders following the same row cannot both add one.
   */
  async record(version: NewSpecVersion): Promise<boolean> {
    const latest = await this.db('spec_versions')
      .where({ product_id: version.productId })
      .orderBy('id', 'desc')
      .first('id', 'spec_hash');
    if (latest?.spec_hash === version.specHash) return false;
    const inserted = await this.db('spec_versions')
      .insert({
        product_id: version.productId,
        entity_ref: version.entityRef,
        spec_hash: version.specHash,
        version: version.version,
        spec_text: version.specText,
        previous_id: latest?.id ?? 0,
        previous_hash: latest?.spec_hash ?? '',
        changes: JSON.stringify(version.changes),
        breaking: version.changes.some(change => change.breaking),
      })
      .onConflict(['product_id', 'previous_id'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /** The newest recorded spec of a product, with its text. */
  async latest(
    productId: string,
  ): Promise<{ specHash: string; specText: string } | undefined> {
    const row = await this.db('spec_versions')
      .where({ product_id: productId })
      .orderBy('id', 'desc')
      .first('spec_hash', 'spec_text');
    return row
      ? { specHash: row.spec_hash, specText: row.spec_text }
      : undefined;
  }

  /** History of a product, newest first, without spec texts. */
  async list(productId: string, limit = 50): Promise<SpecVersion[]> {
    const rows = await this.db('spec_versions')
      .where({ product_id: productId })
      .orderBy('id', 'desc')
      .limit(limit)
      .select(
        'spec_hash',
        'version',
        'detected_at',
        'previous_hash',
        'changes',
        'breaking',
      );
    return rows.map(row => ({
      specHash: row.spec_hash,
      version: row.version,
      detectedAt: new Date(row.detected_at).toISOString(),
      previousHash: row.previous_hash || undefined,
      changes: JSON.parse(row.changes),
      breaking: Boolean(row.breaking),
    }));
  }
}
