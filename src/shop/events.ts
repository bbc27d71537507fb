// Order events: what the shop's other systems (warehouse, analytics, CRM) learn of each status
// change, through the events outbox and the NATS JetStream stream. The workflow sandbox builds
// them, so this holds types and pure rules only. No card data and no personal data: an order
// event names the shop's opaque customer id, a coffee event nobody at all.
import type { FailureRecord } from './failures';
import type { KindName, PaymentStatus } from './shop';

export interface ShopEvent {
  /** `<workflow id>/event-<sequence>`: the outbox's key and the stream's `Nats-Msg-Id`. */
  eventId: string;
  kind: KindName;
  orderId: string;
  /** `<kind>.<status>` in lower case with dashes: `order.payment-authorized`, `coffee.ready`. */
  type: string;
  status: string;
  /** 1 for the order's first status, one more for each change: a consumer sees gaps, never reversals. */
  sequence: number;
  /** When the workflow made the change (its own clock, so a replay gives the same time). */
  occurredAt: string;
  /** The order's total once priced; null before that. */
  totalCents: number | null;
  paymentStatus: PaymentStatus;
  /** Orders only: the shop's opaque customer id, what a CRM joins on. */
  customerId?: string;
  /** Endings only: why the order did not go on. */
  failure?: FailureRecord;
}

export function eventType(kind: KindName, status: string): string {
  return `${kind}.${status.toLowerCase().replace(/_/g, '-')}`;
}

/** The status an event type names: `order.payment-authorized` → `PAYMENT_AUTHORIZED`. */
export function statusOfEventType(kind: KindName, type: string): string {
  return type.slice(kind.length + 1).toUpperCase().replace(/-/g, '_');
}

/** The stream's subjects are `shop.<kind>.<status>`: `shop.order.payment-authorized`. */
export const eventSubjectPrefix = 'shop';

export function eventSubject(event: Pick<ShopEvent, 'type'>): string {
  return `${eventSubjectPrefix}.${event.type}`;
}
