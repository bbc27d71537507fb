// What the payment provider says of an order's payment after the saga took it: a dispute opened,
// or a refund made outside the shop (in Stripe's dashboard). Stripe's webhook sends each to the
// order's workflow as this Update (src/payments/stripe-webhook.ts); both kinds of order take it.
import { defineUpdate, setHandler } from '@temporalio/workflow';
import type { PaymentView, ProviderPaymentEvent } from '../shop';
import { refuse } from './guards';

/** Answers the order's view, as every action on an order does. */
export const reportPaymentEvent = defineUpdate<unknown, [ProviderPaymentEvent]>('reportPaymentEvent');

/** Why the payment as the saga knows it cannot take the event, if it cannot. */
export function paymentEventRefusal(payment: PaymentView, event: ProviderPaymentEvent): string | undefined {
  if (event.paymentId !== payment.paymentId) return `payment ${event.paymentId} is not this order's`;
  if (payment.events?.some((e) => e.eventId === event.eventId)) return `event ${event.eventId} is already recorded`;
  if (event.kind === 'refund' && payment.status === 'REFUNDED') return 'the payment is refunded already (the shop refunded it, or an earlier event said so)';
  if (payment.status !== 'CAPTURED') return `nothing was captured to ${event.kind === 'refund' ? 'refund' : 'dispute'}: the payment is ${payment.status.toLowerCase()}`;
  return undefined;
}

/** Both kinds of order take the provider's events the same way: refused by the validator, or kept and shown. */
export function listenForPaymentEvents(order: { paymentEventRefusal(event: ProviderPaymentEvent): string | undefined; takePaymentEvent(event: ProviderPaymentEvent): Promise<unknown> }): void {
  setHandler(reportPaymentEvent, (event) => order.takePaymentEvent(event), { validator: (event) => refuse(order.paymentEventRefusal(event)) });
}
