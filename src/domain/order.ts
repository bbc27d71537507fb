// Orders: statuses, the order view, and the checks of its input that need no schema library
// (the workflow sandbox loads this; the API's zod schemas are in ./schemas).
import type { FailureRecord } from './failures';
import type { OrderInput } from './schemas';

/** The simulated gateway's test tokens (DESIGN.md, "Payment tokens"). */
export const PaymentTokens = ['tok_ok', 'tok_declined', 'tok_insufficient_funds', 'tok_flaky'] as const;
export type PaymentToken = (typeof PaymentTokens)[number];

/** SKUs and order ids (an Idempotency-Key becomes the order id) are safe in a workflow id and a URL. */
export const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const orderIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** How long the carrier has to collect a parcel: a card authorization lasts about a week. */
export const DEFAULT_DISPATCH_DEADLINE_HOURS = 72;

export type { OrderInput, OrderItem, PlaceOrder, ShippingAddress } from './schemas';

export const orderStatuses = ['RECEIVED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_CREATED', 'DISPATCHED', 'COMPLETED', 'FAILED', 'CANCELLED', 'NEEDS_ATTENTION'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const finalOrderStatuses: readonly OrderStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'NEEDS_ATTENTION'];

export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED' | 'DECLINED';
export type ShipmentStatus = 'CREATED' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';

export const ShipmentEvents = ['DISPATCHED', 'DELIVERED'] as const;
export type ShipmentEvent = (typeof ShipmentEvents)[number];

/** One step of a saga as the customer and the operator see it. */
export interface StepRecord {
  name: string;
  status: 'COMPLETED' | 'FAILED';
  at: string;
  detail?: string;
}

/**
 * What GET /orders/:id answers. The workflow keeps it and writes it to its memo as each step
 * completes, where the API reads it without running the workflow.
 */
export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  totalCents: number | null;
  items: { sku: string; quantity: number; unitPriceCents: number | null }[];
  payment: { status: PaymentStatus; paymentId: string | null };
  shipment: { shipmentId: string; trackingNumber: string; status: ShipmentStatus } | null;
  steps: StepRecord[];
  compensations: StepRecord[];
  failure: FailureRecord | null;
}

/** An order as placed, before its workflow has done anything: the view the API records at start. */
export function receivedOrderView(input: OrderInput): OrderView {
  return {
    orderId: input.orderId,
    customerId: input.customerId,
    status: 'RECEIVED',
    totalCents: null,
    items: input.items.map((i) => ({ ...i, unitPriceCents: null })),
    payment: { status: 'PENDING', paymentId: null },
    shipment: null,
    steps: [],
    compensations: [],
    failure: null,
  };
}

/** Integer cents as people read them: 2500 → "25.00". */
export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}
