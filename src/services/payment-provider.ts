// What the sagas' payment steps need of a payment provider: the simulated gateway and the Stripe
// adapter both give it, and one contract test suite (test/services/payment-contract.test.ts)
// holds them to it.
import type { PaymentTable } from '../platform/db/schema';

export type ProviderPaymentStatus = PaymentTable['status'];

export interface Payment {
  paymentId: string;
  orderId: string;
  amountCents: number;
  status: ProviderPaymentStatus;
}

export interface AuthorizeRequest {
  /** The saga step's key: a retried call with it never pays twice. */
  idempotencyKey: string;
  orderId: string;
  /** A payment token from the customer's checkout: the shop's test tokens, or a provider's own (`pm_…`). */
  token: string;
  amountCents: number;
}

export interface PaymentChange {
  idempotencyKey: string;
  paymentId: string;
}

/**
 * A refused card is a BusinessError (`CardDeclined`, `InsufficientFunds`, `InvalidPaymentToken`),
 * which the saga does not retry; a provider that is down or slow is a TransientError
 * (`GatewayUnavailable`), which Temporal retries with backoff.
 */
export interface PaymentProvider {
  /** Holds the amount on the card; nothing is charged until capture. */
  authorize(req: AuthorizeRequest): Promise<Payment>;
  /** Authorizes and captures at once, as when a customer pays at the counter. */
  charge(req: AuthorizeRequest): Promise<Payment>;
  /** Takes the authorized amount. */
  capture(req: PaymentChange): Promise<Payment>;
  /** Releases an authorization that was never captured: the customer is charged nothing. */
  voidAuthorization(req: PaymentChange): Promise<Payment>;
  /** Gives a captured amount back in full. */
  refund(req: PaymentChange): Promise<Payment>;
  /**
   * The money the provider holds or has taken for the shop, as it says itself: every authorization
   * still held, and the captures made since `capturedSince` (ISO time). What the reconciliation
   * holds against the orders; `orderId` is '' where the provider does not say.
   */
  moneyHeldOrTaken(capturedSince: string): Promise<Payment[]>;
}
