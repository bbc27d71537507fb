// The zod schemas of the order API: what it accepts, each checked against the model's type, and
// what it answers. Kept out of the modules the workflow sandbox loads: zod costs about 1 MB in
// every cached workflow.
import { z } from 'zod';
import { paymentViewSchema, saga } from '../platform/http/answer-schemas';
import { type OrderItem, type ShippingAddress, DEFAULT_DISPATCH_DEADLINE_HOURS } from '../shop';
import { orderIdSchema, paymentTokenSchema, skuSchema } from '../shop/schemas';
import { orderStatuses, ShipmentEvents, type OrderInput, type PlaceOrder } from './order';

export const orderItemSchema = z.strictObject({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(1000),
}) satisfies z.ZodType<OrderItem>;

export const shippingAddressSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'country is an ISO 3166-1 alpha-2 code such as "DE"'),
}) satisfies z.ZodType<ShippingAddress>;

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
  paymentToken: paymentTokenSchema,
}) satisfies z.ZodType<PlaceOrder>;

/**
 * The workflow's input: the validated request, the id it was given, and the shop's dispatch
 * deadline (orders started before the deadline existed carry none and never use one).
 */
export const orderInputSchema = placeOrderSchema.extend({
  orderId: orderIdSchema,
  dispatchDeadlineHours: z.number().int().min(1).default(DEFAULT_DISPATCH_DEADLINE_HOURS),
}) satisfies z.ZodType<OrderInput>;

export const cancelBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional();
export const shipmentEventSchema = z.strictObject({ event: z.enum(ShipmentEvents) });

const MAX_UNITS = 1_000_000_000;

/** A catalog item as the warehouse puts it: name, price in whole cents, units in stock. */
export const itemBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  priceCents: z.number().int('priceCents is whole cents').min(0).max(MAX_UNITS),
  available: z.number().int().min(0).max(MAX_UNITS),
});

export const orderViewSchema = z.object({
  orderId: z.string(),
  customerId: z.string(),
  status: z.enum(orderStatuses),
  totalCents: z.number().int().nullable(),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int().nullable() })),
  payment: paymentViewSchema,
  shipment: z.object({ shipmentId: z.string(), trackingNumber: z.string(), status: z.enum(['CREATED', 'DISPATCHED', 'DELIVERED', 'CANCELLED']) }).nullable(),
  ...saga,
});

export const shipmentAcceptedSchema = z.object({ orderId: z.string(), event: z.enum(ShipmentEvents), accepted: z.literal(true) });
export const inventoryItemSchema = z.object({ sku: z.string(), name: z.string(), priceCents: z.number().int(), available: z.number().int(), reserved: z.number().int(), shipped: z.number().int() });
