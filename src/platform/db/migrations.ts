// Schema migrations, kept in code so the bundle and the Docker image need no migration folder.
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('inventory_items')
      .addColumn('sku', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
      // The CHECKs are the last line of defence against overselling, under any interleaving.
      .addColumn('available', 'integer', (c) => c.notNull().check(sql`available >= 0`))
      .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reserved >= 0`))
      .addColumn('shipped', 'integer', (c) => c.notNull().defaultTo(0).check(sql`shipped >= 0`))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('reservations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('total_cents', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('reservations_order_id').on('reservations').column('order_id').execute();

    await db.schema
      .createTable('reservation_lines')
      .addColumn('reservation_id', 'text', (c) => c.notNull().references('reservations.id'))
      .addColumn('sku', 'text', (c) => c.notNull().references('inventory_items.sku'))
      .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
      .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('reservation_lines_pk', ['reservation_id', 'sku'])
      .execute();

    await db.schema
      .createTable('payments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents >= 0`))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payments_order_id').on('payments').column('order_id').execute();

    await db.schema
      .createTable('shipments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('tracking_number', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('address_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('shipments_order_id').on('shipments').column('order_id').execute();

    await db.schema
      .createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('response_json', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('simulated_faults')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

/** The café's ingredients share the stock ledger, and its no-oversell guarantee, with products. */
const ingredients: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('inventory_items').addColumn('kind', 'text', (c) => c.notNull().defaultTo('product')).execute();
    await db.schema.alterTable('inventory_items').addColumn('unit', 'text').execute();
  },
};

/**
 * `shipped` counted goods shipped and ingredients used alike: units that left the stock for good.
 * RENAME COLUMN keeps the data and the CHECK (SQLite rewrites it; PostgreSQL tracks columns).
 */
const consumed: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('inventory_items').renameColumn('shipped', 'consumed').execute();
  },
};

/**
 * The outbox is relayed by mail: each message keeps the key it was queued with (its Message-ID
 * derives from it), how often sending was tried, when to try next, and the last error.
 */
const mailRelay: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [column, type] of [['idempotency_key', 'text'], ['next_attempt_at', 'text'], ['last_error', 'text'], ['sent_at', 'text']] as const) {
      await db.schema.alterTable('notifications').addColumn(column, type).execute();
    }
    await db.schema.alterTable('notifications').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_attempt_at']).execute();
  },
};

/** The events outbox (src/services/event-outbox.ts), relayed to NATS JetStream in `position` order. */
const orderEvents: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('order_events')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('event_json', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .addColumn('stream_sequence', 'bigint')
      .execute();
    await db.schema.createIndex('order_events_position').on('order_events').column('position').execute();
    await db.schema.createIndex('order_events_unpublished').on('order_events').columns(['published_at', 'position']).execute();
  },
};

/** The reconciliation's runs (src/reconciliation/), newest read first. */
const reconciliation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('reconciliation_runs')
      .addColumn('run_id', 'text', (c) => c.primaryKey())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .addColumn('drift_count', 'integer', (c) => c.notNull())
      .addColumn('healed_count', 'integer', (c) => c.notNull())
      .addColumn('report_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('reconciliation_runs_finished').on('reconciliation_runs').column('finished_at').execute();
  },
};

/** Which order each provider payment is for, and what the provider said of it later (src/services/payment-records.ts). */
const paymentRecords: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('payment_refs')
      .addColumn('payment_id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('workflow_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('payment_events')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('amount_cents', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_events_received').on('payment_events').columns(['outcome', 'received_at']).execute();
  },
};

export const migrations: MigrationProvider = {
  async getMigrations() {
    return { '0001_initial': initial, '0002_ingredients': ingredients, '0003_consumed': consumed, '0004_mail_relay': mailRelay, '0005_order_events': orderEvents, '0006_reconciliation': reconciliation, '0007_payment_records': paymentRecords };
  },
};
