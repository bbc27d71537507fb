// What the API answers, as zod schemas: the OpenAPI document describes answers from these, and
// its test checks real answers against them.
import { z } from 'zod';
import { coffeeStatuses, Drinks, orderStatuses, ShipmentEvents, Sizes } from '../domain';
import { BusinessFailureTypes, SagaFailureTypes, TransientFailureTypes } from '../domain/failures';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ description: 'RFC 9457 problem details; `errors` names each invalid field' });

const paymentStatus = z.enum(['PENDING', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED', 'DECLINED']);
const stepSchema = z.object({ name: z.string(), status: z.enum(['COMPLETED', 'FAILED']), at: z.string(), detail: z.string().optional() });
const failureSchema = z.object({ type: z.enum([...BusinessFailureTypes, ...TransientFailureTypes, ...SagaFailureTypes]), message: z.string() }).nullable();
const saga = { steps: z.array(stepSchema), compensations: z.array(stepSchema), failure: failureSchema };

export const orderViewSchema = z.object({
  orderId: z.string(),
  customerId: z.string(),
  status: z.enum(orderStatuses),
  totalCents: z.number().int().nullable(),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int().nullable() })),
  payment: z.object({ status: paymentStatus, paymentId: z.string().nullable() }),
  shipment: z.object({ shipmentId: z.string(), trackingNumber: z.string(), status: z.enum(['CREATED', 'DISPATCHED', 'DELIVERED', 'CANCELLED']) }).nullable(),
  ...saga,
});

export const coffeeViewSchema = z.object({
  orderId: z.string(),
  customerName: z.string(),
  status: z.enum(coffeeStatuses),
  items: z.array(z.object({ drink: z.enum(Drinks), size: z.enum(Sizes), quantity: z.number().int(), unitPriceCents: z.number().int() })),
  totalCents: z.number().int(),
  barista: z.string().nullable(),
  payment: z.object({ status: paymentStatus, paymentId: z.string().nullable() }),
  ...saga,
});

export const placedSchema = z.object({
  orderId: z.string(),
  workflowId: z.string(),
  status: z.string(),
  links: z.object({ self: z.string(), page: z.string(), temporalUi: z.string() }),
});

export const inventoryItemSchema = z.object({ sku: z.string(), name: z.string(), priceCents: z.number().int(), available: z.number().int(), reserved: z.number().int(), shipped: z.number().int() });
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
export const shipmentAcceptedSchema = z.object({ orderId: z.string(), event: z.enum(ShipmentEvents), accepted: z.literal(true) });
export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({ status: z.enum(['ready', 'unavailable']), checks: z.object({ temporal: z.enum(['up', 'down']), database: z.enum(['up', 'down']) }) });
export const deadLettersSchema = z.array(
  z.object({
    notificationId: z.string(),
    recipient: z.string(),
    template: z.string(),
    data: z.record(z.string(), z.unknown()),
    idempotencyKey: z.string(),
    attempts: z.number().int(),
    createdAt: z.string(),
    lastError: z.string().nullable(),
  }),
);
