// @ts-check

/**
 * Billable calls and the source version per usage rollup row. The rollup copies them from the usage
 * store's `billable` counter (counted at admission, corrected by the meter:
 * admitted and not 5xx), so billing reads the data plane's own count instead
 * of re-deriving it from status classes. Sandbox rows are never billable.
 * `source_version` is the usage store's version of the minute bucket a row
 * was set from: an older read of a bucket never overwrites a newer one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('usage_rollups', table => {
    table.bigInteger('billable_calls').notNullable().defaultTo(0);
    table.bigInteger('source_version').notNullable().defaultTo(0);
  });
  // Rows written before this column existed: the billable rule applied to
  // their status classes.
  await knex('usage_rollups')
    .where({ environment: 'production' })
    .whereNot({ status_class: '5xx' })
    .update({ billable_calls: knex.ref('calls') });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('usage_rollups', table => {
    table.dropColumn('source_version');
    table.dropColumn('billable_calls');
  });
};
