// Orders: what is placed, statuses and the order view (the workflow sandbox loads this; the
// API's zod schemas for the same shapes are in ./schemas).
import type { FailureRecord } from '../shop/failures';
import type { OrderItem, PaymentToken, PaymentView, ShippingAddress, StepRecord } from '../shop/shop';

/** What a client sends to place an order: no prices, which come from the catalog. */
export interface PlaceOrder {
  customerId: string;
  email: string;
  items: OrderItem[];
  shippingAddress: ShippingAddress;
  paymentToken: PaymentToken;
}

/**
 * The workflow's input: the validated request, the id it was given, and the shop's dispatch
 * deadline (orders started before the deadline existed carry none and never use one).
 */
export interface OrderInput extends PlaceOrder {
  orderId: string;
  dispatchDeadlineHours: number;
}

/** In the order an order goes through them: no order moves to a status listed before its own (live reads rely on it). */
export const orderStatuses = ['RECEIVED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_CREATED', 'DISPATCHED', 'COMPLETED', 'FAILED', 'CANCELLED', 'NEEDS_ATTENTION'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const finalOrderStatuses: readonly OrderStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'NEEDS_ATTENTION'];

export type ShipmentStatus = 'CREATED' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';

export const ShipmentEvents = ['DISPATCHED', 'DELIVERED'] as const;
export type ShipmentEvent = (typeof ShipmentEvents)[number];

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
  payment: PaymentView;
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
