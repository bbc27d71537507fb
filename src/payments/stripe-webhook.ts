// Stripe's webhook: what Stripe says of a payment after the shop took it. Each event is verified
// with Stripe's signature check over the exact bytes sent (STRIPE_WEBHOOK_SECRET). A dispute, or
// a refund made in Stripe's dashboard, goes to the order's workflow as an Update, which refuses
// what does not apply; an order that has ended keeps the event for the reconciliation and a
// person. Every event is recorded once: Stripe delivering it again gets the first answer.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Request } from 'express';
import Stripe from 'stripe';
import { z } from 'zod';
import type { HttpDeps } from '../platform/http/deps';
import { endpoint } from '../platform/http/endpoint';
import { invalid, unavailable } from '../platform/http/order-endpoints';
import { HttpProblem, Unauthorized } from '../platform/http/problem';
import { rawBody } from '../platform/http/raw-body';
import { hasEnded, sendUpdate } from '../platform/http/workflow-update';
import { workflowOrder, type WorkflowOrder } from '../platform/http/workflow-view';
import { reportPaymentEvent } from '../saga/payment-events';
import type { Services } from '../services';
import type { PaymentEvent, RecordedPaymentEvent } from '../services/payment-records';
import type { WorkflowKind } from '../shop/workflow-kind';

export interface StripeWebhookDeps extends HttpDeps {
  services: Pick<Services, 'paymentRecords'>;
  /** Stripe's signing secret for this endpoint (whsec_…); without one the endpoint is off. */
  stripeWebhookSecret?: string;
}

const SIGNATURE_HEADER = 'Stripe-Signature';

const receiptSchema = z.object({
  received: z.literal(true),
  eventId: z.string(),
  outcome: z.enum(['delivered', 'refused', 'order-ended', 'ignored']).describe("`delivered` to the order's workflow; `refused` by it (`detail` says why); `order-ended`: kept for the reconciliation; `ignored`: not an event the shop acts on"),
  orderId: z.string().optional(),
  detail: z.string().optional(),
});
type Receipt = z.infer<typeof receiptSchema>;

/** Stripe's events the shop acts on: the Stripe objects' fields it reads, as zod checks them. */
const disputeSchema = z.object({ payment_intent: z.string(), amount: z.number().int(), reason: z.string().optional() });
const refundedChargeSchema = z.object({ payment_intent: z.string(), amount_refunded: z.number().int() });

export function stripeWebhookEndpoints(kinds: readonly WorkflowKind[]) {
  return [
    endpoint<StripeWebhookDeps>({
      method: 'post',
      path: '/webhooks/stripe',
      summary: "Stripe's webhook: a dispute, or a refund made outside the shop, for the order's workflow (signed with STRIPE_WEBHOOK_SECRET)",
      tag: 'operations',
      who: 'anyone',
      headers: { [SIGNATURE_HEADER]: { schema: z.string(), description: "Stripe's signature over the body's exact bytes", required: true } },
      answers: {
        200: ['received: what became of the event (Stripe sends an event again until it hears a 2xx)', receiptSchema],
        400: invalid,
        401: ['the signature does not verify: not from Stripe, or not for this endpoint', 'problem'],
        404: ['Stripe webhooks are off: no STRIPE_WEBHOOK_SECRET', 'problem'],
        503: unavailable,
      },
      handle: async ({ deps, req, res }) => {
        const event = verifiedEvent(deps, req);
        const seen = await deps.services.paymentRecords.event(event.id);
        res.json(seen ? receiptOf(seen) : await receive(deps, kinds, event));
      },
    }),
  ];
}

function verifiedEvent(deps: StripeWebhookDeps, req: Request): Stripe.Event {
  if (!deps.stripeWebhookSecret) throw new HttpProblem(404, 'Not found', 'Stripe webhooks are off: this API has no STRIPE_WEBHOOK_SECRET (docs/OPERATIONS.md, "Payments on Stripe")');
  const signature = req.get(SIGNATURE_HEADER);
  if (!signature) throw new Unauthorized(`the ${SIGNATURE_HEADER} header is missing; only Stripe may send its events`);
  try {
    return Stripe.webhooks.constructEvent(rawBody(req), signature, deps.stripeWebhookSecret);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) throw new Unauthorized(`the ${SIGNATURE_HEADER} does not verify (${err.message}); only Stripe may send its events`);
    throw err;
  }
}

/** The payment event in Stripe's event, when it is one the shop acts on. */
function paymentEventOf(event: Stripe.Event): Omit<PaymentEvent, 'orderId'> | undefined {
  const object = event.data.object as unknown;
  if (event.type === 'charge.dispute.created') {
    const dispute = parseStripe(disputeSchema, object, event);
    return { eventId: event.id, paymentId: dispute.payment_intent, kind: 'dispute', amountCents: dispute.amount, ...(dispute.reason && { reason: dispute.reason }) };
  }
  if (event.type === 'charge.refunded') {
    const charge = parseStripe(refundedChargeSchema, object, event);
    return { eventId: event.id, paymentId: charge.payment_intent, kind: 'refund', amountCents: charge.amount_refunded };
  }
  return undefined;
}

function parseStripe<T>(schema: z.ZodType<T>, object: unknown, event: Stripe.Event): T {
  const parsed = schema.safeParse(object);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ field: `data.object.${i.path.join('.')}`, message: i.message }));
  throw new HttpProblem(400, 'Invalid event', `${event.type} ${event.id} lacks what the shop reads: ${errors.map((e) => e.field).join(', ')}`, errors);
}

async function receive(deps: StripeWebhookDeps, kinds: readonly WorkflowKind[], event: Stripe.Event): Promise<Receipt> {
  const ignored = (detail: string): Receipt => ({ received: true, eventId: event.id, outcome: 'ignored', detail });
  const payment = paymentEventOf(event);
  if (!payment) return ignored(`the shop does not act on ${event.type}`);
  const ref = await deps.services.paymentRecords.find(payment.paymentId);
  const kind = ref && kinds.find((k) => k.workflowType === ref.workflowType);
  if (!ref || !kind) return ignored(`payment ${payment.paymentId} is not one the shop took`);
  const order = workflowOrder(deps.client, kind, ref.orderId);
  const recorded = { ...payment, orderId: ref.orderId };
  const record = (outcome: RecordedPaymentEvent['outcome'], detail?: string) => deps.services.paymentRecords.recordEvent(recorded, outcome, detail).then(receiptOf);

  if (await endedOrGone(order)) return record('order-ended', `${order.what} had ended: for the reconciliation and a person`);
  try {
    // The event's id is the Update's: Stripe sending it again while it is carried out is the same Update.
    await sendUpdate(deps, { order, update: reportPaymentEvent, args: [{ ...payment, at: new Date(event.created * 1000).toISOString() }], updateId: `stripe/${event.id}` });
    return record('delivered');
  } catch (err) {
    // A 503 is left unrecorded: Stripe sends the event again later.
    if (!(err instanceof HttpProblem) || (err.status !== 409 && err.status !== 404)) throw err;
    if (await endedOrGone(order)) return record('order-ended', `${order.what} had ended: for the reconciliation and a person`);
    return record('refused', err.detail);
  }
}

/** Whether the order's workflow has closed, or is gone (past its retention). */
function endedOrGone(order: WorkflowOrder): Promise<boolean> {
  return hasEnded(order).catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return true;
    throw err;
  });
}

function receiptOf(e: RecordedPaymentEvent): Receipt {
  return { received: true, eventId: e.eventId, outcome: e.outcome, orderId: e.orderId, ...(e.detail && { detail: e.detail }) };
}
