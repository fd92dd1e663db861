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
  previousHash?: string;
  changes: SpecChangeItem[];
}

/** The spec history of every product, one row per distinct spec text. */
export class SpecHistoryStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records a version unless the same transition (previous → this spec) is
   * already recorded; returns whether a row was written. Safe to run
   * concurrently and to re-run.
   */
  async record(version: NewSpecVersion): Promise<boolean> {
    const inserted = await this.db('spec_versions')
      .insert({
        product_id: version.productId,
        entity_ref: version.entityRef,
        spec_hash: version.specHash,
        version: version.version,
        spec_text: version.specText,
        previous_hash: version.previousHash ?? '',
        changes: JSON.stringify(version.changes),
        breaking: version.changes.some(change => change.breaking),
      })
      .onConflict(['product_id', 'spec_hash', 'previous_hash'])
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
