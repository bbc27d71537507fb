// Payment activities over the payment provider: authorize, capture or charge, and their inverses
// void and refund.
import type { PaymentProvider } from '../payment-provider';

export function paymentActivities(gateway: PaymentProvider) {
  return {
    async authorizePayment(input: { idempotencyKey: string; orderId: string; token: string; amountCents: number }) {
      return gateway.authorize(input);
    },
    async voidAuthorization(input: { idempotencyKey: string; paymentId: string }) {
      return gateway.voidAuthorization(input);
    },
    async chargePayment(input: { idempotencyKey: string; orderId: string; token: string; amountCents: number }) {
      return gateway.charge(input);
    },
    async capturePayment(input: { idempotencyKey: string; paymentId: string }) {
      return gateway.capture(input);
    },
    async refundPayment(input: { idempotencyKey: string; paymentId: string }) {
      return gateway.refund(input);
    },
  };
}
