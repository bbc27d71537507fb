// The payment steps on Stripe: PaymentIntents with manual capture. Authorize confirms an intent
// that holds the amount, capture takes it when the parcel leaves, cancel releases it, a refund
// gives a captured amount back. Each call carries the saga step's key as Stripe's
// Idempotency-Key, so a retried activity never charges twice.
import Stripe from 'stripe';
import { BusinessError, TransientError } from '../shop';
import type { AuthorizeRequest, Payment, PaymentChange, PaymentProvider, ProviderPaymentStatus } from './payment-provider';

export interface StripeOptions {
  apiKey: string;
  /** Stripe's API by default; stripe-mock's address in tests and a local run. */
  apiBase?: string;
  /** ISO 4217, lower case, as Stripe takes it. */
  currency: string;
}

/**
 * The shop's test tokens as Stripe's test payment methods, so the README's examples behave the
 * same on either provider. A real checkout sends Stripe's own `pm_…` id, passed as it is.
 */
const testPaymentMethods: Record<string, string> = {
  tok_ok: 'pm_card_visa',
  tok_flaky: 'pm_card_visa',
  tok_declined: 'pm_card_chargeDeclined',
  tok_insufficient_funds: 'pm_card_chargeDeclinedInsufficientFunds',
};

export class StripePayments implements PaymentProvider {
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeOptions) {
    const base = options.apiBase ? new URL(options.apiBase) : undefined;
    this.stripe = new Stripe(options.apiKey, {
      ...(base && { protocol: base.protocol === 'http:' ? 'http' : 'https', host: base.hostname, port: base.port || (base.protocol === 'http:' ? 80 : 443) }),
      // Stripe's own guidance: the SDK retries what Stripe marks retryable (Stripe-Should-Retry,
      // 409, 429, 5xx, connection errors) with the same Idempotency-Key; Temporal retries the rest.
      maxNetworkRetries: 2,
      timeout: 10_000,
      telemetry: false,
      appInfo: { name: 'temporal-fulfillment' },
    });
  }

  authorize(req: AuthorizeRequest): Promise<Payment> {
    return this.open(req, 'manual', 'AUTHORIZED');
  }

  charge(req: AuthorizeRequest): Promise<Payment> {
    return this.open(req, 'automatic', 'CAPTURED');
  }

  capture({ paymentId, idempotencyKey }: PaymentChange): Promise<Payment> {
    return this.call(async () => asPayment(await this.stripe.paymentIntents.capture(paymentId, {}, { idempotencyKey }), 'CAPTURED'));
  }

  voidAuthorization({ paymentId, idempotencyKey }: PaymentChange): Promise<Payment> {
    return this.call(async () => asPayment(await this.stripe.paymentIntents.cancel(paymentId, {}, { idempotencyKey }), 'VOIDED'));
  }

  refund({ paymentId, idempotencyKey }: PaymentChange): Promise<Payment> {
    return this.call(async () => {
      const refund = await this.stripe.refunds.create({ payment_intent: paymentId }, { idempotencyKey });
      return { paymentId, orderId: refund.metadata?.orderId ?? '', amountCents: refund.amount, status: 'REFUNDED' };
    });
  }

  /**
   * Stripe's own record: the PaymentIntents of the window (an authorization lasts 7 days, so none
   * older is still held), those still holding money (`requires_capture`) and those captured and
   * not refunded in full (`succeeded`). The order id is the one the shop put in their metadata.
   */
  moneyHeldOrTaken(capturedSince: string): Promise<Payment[]> {
    return this.call(async () => {
      const held: Payment[] = [];
      const intents = this.stripe.paymentIntents.list({ created: { gte: Math.floor(Date.parse(capturedSince) / 1000) }, limit: 100, expand: ['data.latest_charge'] });
      for await (const intent of intents) {
        const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
        if (intent.status === 'requires_capture') held.push(asPayment(intent, 'AUTHORIZED'));
        else if (intent.status === 'succeeded' && !(charge && charge.amount_refunded >= charge.amount)) held.push(asPayment(intent, 'CAPTURED'));
      }
      return held;
    });
  }

  /**
   * A confirmed PaymentIntent. `error_on_requires_action` makes a card that needs the customer
   * (3-D Secure) an error rather than an intent left waiting, so an answer without an error is
   * an authorization (or, with automatic capture, a charge).
   */
  private open(req: AuthorizeRequest, captureMethod: 'manual' | 'automatic', status: ProviderPaymentStatus): Promise<Payment> {
    const paymentMethod = testPaymentMethods[req.token] ?? (/^pm_[A-Za-z0-9_]+$/.test(req.token) ? req.token : undefined);
    if (!paymentMethod) return Promise.reject(new BusinessError('InvalidPaymentToken', `payment token "${req.token}" is not valid`));
    return this.call(async () => {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: req.amountCents,
          currency: this.options.currency,
          payment_method: paymentMethod,
          // Confirmed by the server with no customer at hand: no payment method that redirects.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          confirm: true,
          capture_method: captureMethod,
          error_on_requires_action: true,
          metadata: { orderId: req.orderId },
        },
        { idempotencyKey: req.idempotencyKey },
      );
      return { ...asPayment(intent, status), orderId: req.orderId, amountCents: req.amountCents };
    });
  }

  /** Stripe's errors onto the shop's closed list of failures. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw stripeFailure(err);
    }
  }
}

function asPayment(intent: Stripe.PaymentIntent, status: ProviderPaymentStatus): Payment {
  return { paymentId: intent.id, orderId: intent.metadata?.orderId ?? '', amountCents: intent.amount, status };
}

/**
 * A declined, expired or underfunded card is a refusal the saga unwinds on; a rate limit, a
 * connection error or Stripe's own fault passes, so it is retried; an intent in the wrong state
 * for the call is InvalidState; a key reused with other parameters is IdempotencyConflict.
 * Anything else (a request Stripe finds malformed, a key it refuses) is left as it is: a bug or a
 * misconfiguration for a person, reported with Stripe's message.
 */
export function stripeFailure(err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  const said = `Stripe: ${err.message}`;
  if (err instanceof Stripe.errors.StripeCardError) {
    const reason = err.decline_code ?? err.code;
    return reason === 'insufficient_funds' ? new BusinessError('InsufficientFunds', said) : new BusinessError('CardDeclined', said);
  }
  if (err instanceof Stripe.errors.StripeRateLimitError || err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError) {
    return new TransientError('GatewayUnavailable', said);
  }
  if (err instanceof Stripe.errors.StripeIdempotencyError) return new BusinessError('IdempotencyConflict', said);
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    if (err.code === 'payment_intent_unexpected_state' || err.code === 'charge_already_refunded') return new BusinessError('InvalidState', said);
    if (err.code === 'resource_missing') return new BusinessError('NotFound', said);
  }
  return err;
}
