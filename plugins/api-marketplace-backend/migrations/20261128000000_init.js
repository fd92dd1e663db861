// @ts-check

/**
 * The marketplace data model: partners and members, subscriptions, API keys,
 * usage rollups (the record billing reads), invoices and their lines, the
 * billing report ledger, spec history and the partner-visible audit log.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('partners', table => {
    table.string('id', 36).primary();
    table.string('slug', 63).notNullable().unique();
    table.string('name', 200).notNullable();
    table.string('billing_email', 320).notNullable();
    table.string('status', 16).notNullable().defaultTo('active');
    table.string('stripe_customer_id', 255).nullable().unique();
    table.timestamp('terms_accepted_at', { useTz: true }).nullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('partner_members', table => {
    table
      .string('partner_id', 36)
      .notNullable()
      .references('id')
      .inTable('partners')
      .onDelete('CASCADE');
    // One organisation per user: a second one is refused by this constraint too.
    table.string('user_ref', 255).notNullable().unique();
    table.string('role', 16).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['partner_id', 'user_ref']);
  });

  await knex.schema.createTable('partner_invitations', table => {
    table.string('id', 36).primary();
    table
      .string('partner_id', 36)
      .notNullable()
      .references('id')
      .inTable('partners')
      .onDelete('CASCADE');
    table.string('email', 320).nullable();
    table.string('user_ref', 255).nullable();
    table.string('role', 16).notNullable();
    table.string('status', 16).notNullable().defaultTo('pending');
    table.string('invited_by', 255).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('accepted_at', { useTz: true }).nullable();
    table.index(['partner_id']);
  });

  await knex.schema.createTable('subscriptions', table => {
    table.string('id', 36).primary();
    table
      .string('partner_id', 36)
      .notNullable()
      .references('id')
      .inTable('partners')
      .onDelete('CASCADE');
    table.string('product_id', 63).notNullable();
    table.string('plan', 16).notNullable();
    // active | pending_payment | canceled
    table.string('status', 24).notNullable();
    table.timestamp('current_period_start', { useTz: true }).notNullable();
    table.timestamp('current_period_end', { useTz: true }).notNullable();
    table.string('stripe_subscription_id', 255).nullable();
    table.string('stripe_checkout_session_id', 255).nullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('canceled_at', { useTz: true }).nullable();
    // The product id while the subscription is live, NULL once canceled: one
    // live subscription per partner and product, even under concurrency.
    table.string('live_product_id', 63).nullable();
    table.unique(['partner_id', 'live_product_id']);
    table.index(['partner_id', 'product_id']);
  });

  await knex.schema.createTable('api_keys', table => {
    // The key id embedded in the key itself, so lookups need no hash scan.
    table.string('id', 32).primary();
    table
      .string('partner_id', 36)
      .notNullable()
      .references('id')
      .inTable('partners')
      .onDelete('CASCADE');
    table.string('name', 100).notNullable();
    table.string('prefix', 40).notNullable();
    table.string('key_hash', 64).notNullable().unique();
    table.string('environment', 16).notNullable();
    table.text('product_ids').notNullable();
    table.text('allowed_ips').nullable();
    // active | rotating | revoked
    table.string('status', 16).notNullable().defaultTo('active');
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('grace_ends_at', { useTz: true }).nullable();
    table.string('replaced_by', 32).nullable();
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.index(['partner_id']);
  });

  await knex.schema.createTable('usage_rollups', table => {
    table.string('partner_id', 36).notNullable();
    table.string('product_id', 63).notNullable();
    table.string('environment', 16).notNullable();
    // minute | hour | day
    table.string('granularity', 8).notNullable();
    table.bigInteger('bucket_start').notNullable();
    table.string('status_class', 4).notNullable();
    table.bigInteger('calls').notNullable();
    table.integer('latency_p50_ms').nullable();
    table.integer('latency_p95_ms').nullable();
    table.integer('latency_p99_ms').nullable();
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary([
      'partner_id',
      'product_id',
      'environment',
      'granularity',
      'bucket_start',
      'status_class',
    ]);
    table.index(['granularity', 'bucket_start']);
  });

  await knex.schema.createTable('invoices', table => {
    table.string('id', 36).primary();
    table
      .string('partner_id', 36)
      .notNullable()
      .references('id')
      .inTable('partners')
      .onDelete('CASCADE');
    table.timestamp('period_start', { useTz: true }).notNullable();
    table.timestamp('period_end', { useTz: true }).notNullable();
    // draft | open | paid | void
    table.string('status', 16).notNullable();
    table.string('currency', 3).notNullable().defaultTo('usd');
    table.bigInteger('total_cents').notNullable();
    table.string('stripe_invoice_id', 255).nullable().unique();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('finalized_at', { useTz: true }).nullable();
    table.unique(['partner_id', 'period_start']);
  });

  await knex.schema.createTable('invoice_lines', table => {
    table.increments('id');
    table
      .string('invoice_id', 36)
      .notNullable()
      .references('id')
      .inTable('invoices')
      .onDelete('CASCADE');
    table.string('subscription_id', 36).notNullable();
    table.string('product_id', 63).notNullable();
    table.string('plan', 16).notNullable();
    table.bigInteger('calls').notNullable();
    table.bigInteger('included_calls').notNullable();
    table.bigInteger('overage_calls').notNullable();
    table.bigInteger('base_cents').notNullable();
    table.bigInteger('overage_cents').notNullable();
    table.bigInteger('total_cents').notNullable();
  });

  // One row per usage report to the billing provider; the idempotency key
  // (subscription × period × sequence) makes re-runs and crashes harmless.
  await knex.schema.createTable('billing_reports', table => {
    table.string('idempotency_key', 200).primary();
    table.string('subscription_id', 36).notNullable();
    table.timestamp('period_start', { useTz: true }).notNullable();
    table.bigInteger('calls').notNullable();
    // pending | reported | failed
    table.string('status', 16).notNullable();
    table.string('provider_reference', 255).nullable();
    table.text('last_error').nullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('reported_at', { useTz: true }).nullable();
    table.index(['subscription_id', 'period_start']);
  });

  await knex.schema.createTable('spec_versions', table => {
    table.increments('id');
    table.string('product_id', 63).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('spec_hash', 64).notNullable();
    table.string('version', 100).notNullable();
    table.text('spec_text', 'longtext').notNullable();
    // '' for the first version; part of the key so A → B → A records all three.
    table.string('previous_hash', 64).notNullable().defaultTo('');
    table.text('changes', 'longtext').notNullable();
    table.boolean('breaking').notNullable().defaultTo(false);
    table
      .timestamp('detected_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.unique(['product_id', 'spec_hash', 'previous_hash']);
  });

  await knex.schema.createTable('audit_events', table => {
    table.increments('id');
    table.string('partner_id', 36).nullable();
    table.string('actor_ref', 255).notNullable();
    table.string('action', 64).notNullable();
    table.string('target_type', 32).notNullable();
    table.string('target_id', 64).nullable();
    table.text('details').nullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['partner_id', 'created_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'audit_events',
    'spec_versions',
    'billing_reports',
    'invoice_lines',
    'invoices',
    'usage_rollups',
    'api_keys',
    'subscriptions',
    'partner_invitations',
    'partner_members',
    'partners',
  ]) {
    await knex.schema.dropTable(table);
  }
};
