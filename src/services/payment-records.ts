// The shop's own record of the provider's payments: which order each is for (noted by the step
// that opened it), and what the provider said of it afterwards (a dispute, a refund made in its
// dashboard), once per provider event however often the event is delivered.
import { type Db, now } from '../platform/db/database';
import type { PaymentEventTable } from '../platform/db/schema';

export interface PaymentRef {
  paymentId: string;
  orderId: string;
  /** The workflow type of the order's kind. */
  workflowType: string;
}

export interface PaymentEvent {
  eventId: string;
  paymentId: string;
  orderId: string;
  kind: PaymentEventTable['kind'];
  amountCents: number;
  reason?: string;
}

export interface RecordedPaymentEvent extends PaymentEvent {
  outcome: PaymentEventTable['outcome'];
  detail?: string;
  receivedAt: string;
}

export class PaymentRecords {
  constructor(private readonly db: Db) {}

  /** Notes which order a payment is for; noted again (a retried step) it changes nothing. */
  async note(ref: PaymentRef): Promise<void> {
    await this.db
      .insertInto('payment_refs')
      .values({ payment_id: ref.paymentId, order_id: ref.orderId, workflow_type: ref.workflowType, created_at: now() })
      .onConflict((oc) => oc.column('payment_id').doNothing())
      .execute();
  }

  async find(paymentId: string): Promise<PaymentRef | undefined> {
    const row = await this.db.selectFrom('payment_refs').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
    return row && { paymentId: row.payment_id, orderId: row.order_id, workflowType: row.workflow_type };
  }

  /** The event as first recorded, if it was: a redelivery gets the first outcome. */
  async event(eventId: string): Promise<RecordedPaymentEvent | undefined> {
    const row = await this.db.selectFrom('payment_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
    return row && asEvent(row);
  }

  /** Records what became of an event; the first record of an event id stands. */
  async recordEvent(event: PaymentEvent, outcome: PaymentEventTable['outcome'], detail?: string): Promise<RecordedPaymentEvent> {
    await this.db
      .insertInto('payment_events')
      .values({
        event_id: event.eventId,
        payment_id: event.paymentId,
        order_id: event.orderId,
        kind: event.kind,
        amount_cents: event.amountCents,
        reason: event.reason ?? null,
        outcome,
        detail: detail ?? null,
        received_at: now(),
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
    return (await this.event(event.eventId))!;
  }

  /** Events for orders that had already ended when they came, received since `since`: for a person. */
  async forEndedOrders(since: string): Promise<RecordedPaymentEvent[]> {
    const rows = await this.db.selectFrom('payment_events').selectAll().where('outcome', '=', 'order-ended').where('received_at', '>=', since).orderBy('received_at').execute();
    return rows.map(asEvent);
  }
}

function asEvent(row: PaymentEventTable): RecordedPaymentEvent {
  return {
    eventId: row.event_id,
    paymentId: row.payment_id,
    orderId: row.order_id,
    kind: row.kind,
    amountCents: Number(row.amount_cents),
    ...(row.reason !== null && { reason: row.reason }),
    outcome: row.outcome,
    ...(row.detail !== null && { detail: row.detail }),
    receivedAt: row.received_at,
  };
}
