// Payment activities over the payment provider: authorize, capture or charge, and their inverses
// void and refund. A payment opened is noted against its order, so what the provider says of it
// later (a dispute, Stripe's webhooks) finds the order.
import { Context } from '@temporalio/activity';
import type { Payment, PaymentProvider } from '../payment-provider';
import type { PaymentRecords } from '../payment-records';

export function paymentActivities(gateway: PaymentProvider, records: PaymentRecords) {
  const noted = async (payment: Payment, orderId: string): Promise<Payment> => {
    await records.note({ paymentId: payment.paymentId, orderId, workflowType: Context.current().info.workflowType ?? 'unknown' });
    return payment;
  };
  return {
    async authorizePayment(input: { idempotencyKey: string; orderId: string; token: string; amountCents: number }) {
      return noted(await gateway.authorize(input), input.orderId);
    },
    async voidAuthorization(input: { idempotencyKey: string; paymentId: string }) {
      return gateway.voidAuthorization(input);
    },
    async chargePayment(input: { idempotencyKey: string; orderId: string; token: string; amountCents: number }) {
      return noted(await gateway.charge(input), input.orderId);
    },
    async capturePayment(input: { idempotencyKey: string; paymentId: string }) {
      return gateway.capture(input);
    },
    async refundPayment(input: { idempotencyKey: string; paymentId: string }) {
      return gateway.refund(input);
    },
  };
}
