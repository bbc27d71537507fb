// What every kind's answers share, as zod schemas (a problem, a placed order, a saga's steps):
// the OpenAPI document describes answers from these, and its test checks real answers against them.
import { z } from 'zod';
import { BusinessFailureTypes, SagaFailureTypes, TransientFailureTypes } from '../../shop/failures';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ description: 'RFC 9457 problem details; `errors` names each invalid field' });

export const paymentStatus = z.enum(['PENDING', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED', 'DECLINED']);
const providerEventSchema = z.object({
  eventId: z.string(),
  paymentId: z.string(),
  kind: z.enum(['dispute', 'refund']),
  amountCents: z.number().int(),
  reason: z.string().optional(),
  at: z.string(),
});
/** The payment as a view shows it; `events`: what the provider said of it later (a dispute, a refund made outside the shop). */
export const paymentViewSchema = z.object({ status: paymentStatus, paymentId: z.string().nullable(), events: z.array(providerEventSchema).optional() });
const stepSchema = z.object({ name: z.string(), status: z.enum(['COMPLETED', 'FAILED']), at: z.string(), detail: z.string().optional() });
const failureSchema = z.object({ type: z.enum([...BusinessFailureTypes, ...TransientFailureTypes, ...SagaFailureTypes]), message: z.string() }).nullable();
/** What every view publishes of its saga. */
export const saga = { steps: z.array(stepSchema), compensations: z.array(stepSchema), failure: failureSchema };

export const placedSchema = z.object({
  orderId: z.string(),
  workflowId: z.string(),
  status: z.string(),
  links: z.object({ self: z.string(), page: z.string(), temporalUi: z.string() }),
});

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({ status: z.enum(['ready', 'unavailable']), checks: z.object({ temporal: z.enum(['up', 'down']), database: z.enum(['up', 'down']) }) });
