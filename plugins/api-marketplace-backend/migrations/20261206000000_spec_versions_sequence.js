// @ts-check

/**
 * Spec history as a chain: each row names the row it follows (`previous_id`,
 * 0 for a product's first), unique per product. The old key (product, spec,
 * previous spec) refused a transition seen before, so after A → B → A → B the
 * last B was dropped and the history ended on A while B was published. One
 * successor per row keeps recording idempotent under concurrency and re-runs
 * (two replicas recording the same change after the same row: one wins)
 * without refusing a spec that comes back.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('spec_versions', table => {
    table.integer('previous_id').notNullable().defaultTo(0);
  });
  const rows = await knex('spec_versions')
    .orderBy(['product_id', 'id'])
    .select('id', 'product_id');
  const last = new Map();
  for (const row of rows) {
    const previousId = last.get(row.product_id) ?? 0;
    if (previousId !== 0) {
      await knex('spec_versions')
        .where({ id: row.id })
        .update({ previous_id: previousId });
    }
    last.set(row.product_id, row.id);
  }
  await knex.schema.alterTable('spec_versions', table => {
    table.dropUnique(['product_id', 'spec_hash', 'previous_hash']);
    table.unique(['product_id', 'previous_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('spec_versions', table => {
    table.dropUnique(['product_id', 'previous_id']);
  });
  // The old key cannot hold a spec that came back: keep its first record.
  const rows = await knex('spec_versions')
    .orderBy('id')
    .select('id', 'product_id', 'spec_hash', 'previous_hash');
  const seen = new Set();
  for (const row of rows) {
    const key = `${row.product_id}\u0000${row.spec_hash}\u0000${row.previous_hash}`;
    if (seen.has(key)) await knex('spec_versions').where({ id: row.id }).del();
    seen.add(key);
  }
  await knex.schema.alterTable('spec_versions', table => {
    table.dropColumn('previous_id');
    table.unique(['product_id', 'spec_hash', 'previous_hash']);
  });
};
