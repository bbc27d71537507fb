// The business database's tables, as Kysely sees them. Timestamps are ISO-8601 strings.
import type { Generated } from 'kysely';

/** What a stock line is: a product of the catalog, or an ingredient of the café (the column is `kind`). */
export type StockType = 'product' | 'ingredient';

/** One stock ledger: warehouse products (priced) and café ingredients (counted in a unit). */
export interface InventoryItemTable {
  /** A product's SKU or an ingredient's name. */
  sku: string;
  kind: Generated<StockType>;
  unit: string | null;
  name: string;
  price_cents: number;
  /** Units that can still be ordered. */
  available: number;
  /** Units held for orders that have not left the warehouse. */
  reserved: number;
  /** Units that left the stock for good: goods with a dispatched shipment, ingredients in a drink. */
  consumed: number;
  updated_at: string;
}

export interface ReservationTable {
  id: string;
  order_id: string;
  status: 'HELD' | 'RELEASED' | 'SHIPPED';
  total_cents: number;
  created_at: string;
  updated_at: string;
}

export interface ReservationLineTable {
  reservation_id: string;
  sku: string;
  quantity: number;
  unit_price_cents: number;
}

export interface PaymentTable {
  id: string;
  order_id: string;
  token: string;
  amount_cents: number;
  status: 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED';
  created_at: string;
  updated_at: string;
}

export interface ShipmentTable {
  id: string;
  order_id: string;
  tracking_number: string;
  status: 'CREATED' | 'CANCELLED';
  address_json: string;
  created_at: string;
  updated_at: string;
}

export interface NotificationTable {
  id: string;
  recipient: string;
  template: string;
  payload_json: string;
  /** PENDING until sent; FAILED (a dead letter) once sending has failed too often. */
  status: 'PENDING' | 'SENT' | 'FAILED';
  created_at: string;
  /** Null for messages queued before the relay existed: their id stands in. */
  idempotency_key: string | null;
  attempts: Generated<number>;
  /** While PENDING: not before this (a relay's lease, or the backoff after a failure). */
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
}

/** One row per side effect: what was asked (hashed) and what was answered. */
export interface IdempotencyKeyTable {
  key: string;
  operation: string;
  request_hash: string;
  response_json: string | null;
  created_at: string;
}

/**
 * The events outbox: each status change of an order, written by its workflow once (the event id
 * is the key), then published to NATS JetStream by the publisher.
 */
export interface OrderEventTable {
  event_id: string;
  order_id: string;
  kind: 'order' | 'coffee';
  type: string;
  sequence: number;
  /** The whole event as published. */
  event_json: string;
  /**
   * The publisher takes events in this order: one more than the highest when it was written, so
   * an order's later event (written after the earlier one committed) always comes after it, with
   * no clock involved. Events of different orders may share one.
   */
  position: number;
  /** When it reached the outbox. */
  created_at: string;
  /** Null until the stream has acknowledged it. */
  published_at: string | null;
  /** The stream's sequence number for it. */
  stream_sequence: number | null;
}

/** Each reconciliation run (src/reconciliation/): what it found and healed, the report whole. */
export interface ReconciliationRunTable {
  /** The run's workflow run id: a retried record of the same run adds nothing. */
  run_id: string;
  started_at: string;
  finished_at: string;
  drift_count: number;
  healed_count: number;
  report_json: string;
}

/** Which order each of the provider's payments is for, noted by the payment step that opened it. */
export interface PaymentRefTable {
  payment_id: string;
  order_id: string;
  /** The workflow type of the order's kind: which kind of order it is. */
  workflow_type: string;
  created_at: string;
}

/** What the provider said of a payment after the shop took it (Stripe's webhooks), once per event. */
export interface PaymentEventTable {
  /** The provider's event id: the same event delivered again is the same row. */
  event_id: string;
  payment_id: string;
  order_id: string;
  kind: 'dispute' | 'refund';
  amount_cents: number;
  reason: string | null;
  /** `delivered` to the order's workflow, `refused` by it (why in `detail`), or `order-ended`: for the reconciliation and a person. */
  outcome: 'delivered' | 'refused' | 'order-ended';
  detail: string | null;
  received_at: string;
}

/** Bookkeeping of the simulated gateway's deliberate faults (tok_flaky). */
export interface SimulatedFaultTable {
  key: string;
  failures: Generated<number>;
}

export interface Database {
  inventory_items: InventoryItemTable;
  reservations: ReservationTable;
  reservation_lines: ReservationLineTable;
  payments: PaymentTable;
  shipments: ShipmentTable;
  notifications: NotificationTable;
  order_events: OrderEventTable;
  idempotency_keys: IdempotencyKeyTable;
  simulated_faults: SimulatedFaultTable;
  reconciliation_runs: ReconciliationRunTable;
  payment_refs: PaymentRefTable;
  payment_events: PaymentEventTable;
}
