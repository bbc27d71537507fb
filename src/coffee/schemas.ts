// The zod schemas of the coffee API: what it accepts, each checked against the model's type, and
// what it answers. Kept out of the modules the workflow sandbox loads.
import { z } from 'zod';
import { paymentViewSchema, saga } from '../platform/http/answer-schemas';
import { orderIdSchema, paymentTokenSchema } from '../shop/schemas';
import { type CoffeeInput, type CoffeeItem, coffeeStatuses, Drinks, MAX_PICKUP_SECONDS, type PlaceCoffeeOrder, Sizes } from './coffee';

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
  paymentToken: paymentTokenSchema,
  pickupTimeoutSeconds: z.number().int().min(1).max(MAX_PICKUP_SECONDS).optional(),
}) satisfies z.ZodType<PlaceCoffeeOrder>;

export const coffeeInputSchema = placeCoffeeOrderSchema.extend({
  orderId: orderIdSchema,
  pickupTimeoutSeconds: z.number().int().min(1).max(MAX_PICKUP_SECONDS),
  /** How long an order may wait in the queue before the shift manager hears of it. */
  claimSlaSeconds: z.number().int().min(1),
}) satisfies z.ZodType<CoffeeInput>;

export const ingredientBodySchema = z.strictObject({ available: z.number().int().min(0).max(1_000_000_000) });
export const failBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });

export const coffeeViewSchema = z.object({
  orderId: z.string(),
  customerName: z.string(),
  status: z.enum(coffeeStatuses),
  items: z.array(z.object({ drink: z.enum(Drinks), size: z.enum(Sizes), quantity: z.number().int(), unitPriceCents: z.number().int() })),
  totalCents: z.number().int(),
  barista: z.string().nullable(),
  payment: paymentViewSchema,
  ...saga,
});

export const ingredientSchema = z.object({ name: z.string(), unit: z.string().nullable(), available: z.number().int(), reserved: z.number().int(), used: z.number().int() });
export const menuSchema = z.array(z.object({ drink: z.enum(Drinks), sizes: z.record(z.enum(Sizes), z.number().int()), recipe: z.record(z.string(), z.number()) }));
export const queueSchema = z.array(
  z.object({
    orderId: z.string(),
    status: z.enum(coffeeStatuses),
    customerName: z.string(),
    items: z.array(z.object({ drink: z.string(), size: z.string(), quantity: z.number().int() })),
    barista: z.string().nullable(),
    orderedAt: z.string(),
    temporalUi: z.string(),
  }),
);
/** What the barista board's live stream sends at each change. */
export const boardSchema = z.object({ claimSlaSeconds: z.number().int(), orders: queueSchema });
