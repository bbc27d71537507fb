// The zod schemas the API validates requests with, each checked against the domain's type of
// what it accepts. Kept out of the modules the workflow sandbox loads: zod costs about 1 MB in
// every cached workflow.
import { z } from 'zod';
import { type CoffeeInput, type CoffeeItem, Drinks, MAX_PICKUP_SECONDS, type PlaceCoffeeOrder, Sizes } from './coffee';
import { DEFAULT_DISPATCH_DEADLINE_HOURS, type OrderInput, type PlaceOrder, type ShippingAddress } from './order';
import { type OrderItem, orderIdPattern, PaymentTokens, skuPattern } from './shop';

export const skuSchema = z.string().regex(skuPattern, 'a SKU is 1-64 letters, digits, ".", "_" or "-"');

/** An Idempotency-Key becomes the order id, so it must be safe in a workflow id and a URL. */
export const orderIdSchema = z.string().regex(orderIdPattern, 'an order id is 1-80 letters, digits, "_" or "-"');

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
  paymentToken: z.enum(PaymentTokens),
}) satisfies z.ZodType<PlaceOrder>;

/**
 * The workflow's input: the validated request, the id it was given, and the shop's dispatch
 * deadline (orders started before the deadline existed carry none and never use one).
 */
export const orderInputSchema = placeOrderSchema.extend({
  orderId: orderIdSchema,
  dispatchDeadlineHours: z.number().int().min(1).default(DEFAULT_DISPATCH_DEADLINE_HOURS),
}) satisfies z.ZodType<OrderInput>;

export const ingredientNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'an ingredient is 1-40 lowercase letters, digits or "-", such as "oat-milk"');

export const coffeeItemSchema = z.strictObject({
  drink: z.enum(Drinks),
  size: z.enum(Sizes),
  quantity: z.number().int().min(1).max(20),
}) satisfies z.ZodType<CoffeeItem>;

export const placeCoffeeOrderSchema = z.strictObject({
  customerName: z.string().trim().min(1).max(100),
  items: z.array(coffeeItemSchema).min(1).max(20),
  paymentToken: z.enum(PaymentTokens),
  pickupTimeoutSeconds: z.number().int().min(1).max(MAX_PICKUP_SECONDS).optional(),
}) satisfies z.ZodType<PlaceCoffeeOrder>;

export const coffeeInputSchema = placeCoffeeOrderSchema.extend({
  orderId: orderIdSchema,
  pickupTimeoutSeconds: z.number().int().min(1).max(MAX_PICKUP_SECONDS),
  /** How long an order may wait in the queue before the shift manager hears of it. */
  claimSlaSeconds: z.number().int().min(1),
}) satisfies z.ZodType<CoffeeInput>;
