// Orders: the input schema shared by the API and the workflow, statuses, and the order view.
import { z } from 'zod';
import type { FailureRecord } from './failures';

/** The simulated gateway's test tokens (DESIGN.md, "Payment tokens"). */
export const PaymentTokens = ['tok_ok', 'tok_declined', 'tok_insufficient_funds', 'tok_flaky'] as const;
export type PaymentToken = (typeof PaymentTokens)[number];

export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a SKU is 1-64 letters, digits, ".", "_" or "-"');

/** An Idempotency-Key becomes the order id, so it must be safe in a workflow id and a URL. */
export const orderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, 'an order id is 1-80 letters, digits, "_" or "-"');

export const orderItemSchema = z.strictObject({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(1000),
});

export const shippingAddressSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'country is an ISO 3166-1 alpha-2 code such as "DE"'),
});

/** What a client sends to place an order: no prices, which come from the catalog. */
export const placeOrderSchema = z.strictObject({
  customerId: z.string().trim().min(1).max(100),
  email: z.email().max(254),
  items: z
    .array(orderItemSchema)
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.sku)).size === items.length, {
      message: 'each sku may appear only once; add up the quantities',
    }),
  shippingAddress: shippingAddressSchema,
  paymentToken: z.enum(PaymentTokens),
});
export type PlaceOrder = z.infer<typeof placeOrderSchema>;

/** How long the carrier has to collect a parcel: a card authorization lasts about a week. */
export const DEFAULT_DISPATCH_DEADLINE_HOURS = 72;

/**
 * The workflow's input: the validated request, the id it was given, and the shop's dispatch
 * deadline (orders started before the deadline existed carry none and never use one).
 */
export const orderInputSchema = placeOrderSchema.extend({
  orderId: orderIdSchema,
  dispatchDeadlineHours: z.number().int().min(1).default(DEFAULT_DISPATCH_DEADLINE_HOURS),
});
export type OrderInput = z.infer<typeof orderInputSchema>;
export type OrderItem = z.infer<typeof orderItemSchema>;
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;

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
