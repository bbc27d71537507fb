// One contract for every payment provider the sagas' payment steps can call: the simulated gateway
// (in the business database) and the Stripe adapter (against stripe-mock, which checks every request
// against Stripe's published API description). What stripe-mock cannot show, because it keeps no
// state and declines no card, is held on the simulated gateway below, and the adapter's mapping of
// Stripe's own errors is checked on the Stripe SDK's error classes.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentGateway, type PaymentProvider, StripePayments } from '../../src/services';
import { stripeFailure } from '../../src/services/stripe-payments';
import { BusinessError, type BusinessFailureType, TransientError } from '../../src/shop';
import { uniqueId, useFreshDatabase } from '../support/database';
import { freePort } from '../support/processes';
import { startTestStripe, type TestStripe } from '../support/stripe';

let stripe: TestStripe;
beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(() => stripe?.stop());

const fresh = useFreshDatabase();

/** The error a call failed with. */
const failureOf = (call: Promise<unknown>) => call.then(() => undefined, (e: unknown) => e);

async function expectRefusal(call: Promise<unknown>, type: BusinessFailureType): Promise<void> {
  const error = await failureOf(call);
  expect(error).toBeInstanceOf(BusinessError);
  expect((error as BusinessError).type).toBe(type);
}

const providers: { name: string; make: () => PaymentProvider }[] = [
  { name: 'the simulated gateway', make: () => new PaymentGateway(fresh.db) },
  { name: 'the Stripe adapter on stripe-mock', make: () => new StripePayments({ apiKey: stripe.apiKey, apiBase: stripe.url, currency: 'usd' }) },
];

describe.each(providers)('the payment contract: $name', ({ make }) => {
  const request = (token = 'tok_ok') => ({ idempotencyKey: `${uniqueId('order')}/authorize-payment`, orderId: uniqueId('order'), token, amountCents: 4500 });

  it('authorizes the amount asked for, and answers a payment id it can later act on', async () => {
    const provider = make();
    const req = request();
    const payment = await provider.authorize(req);
    expect(payment).toMatchObject({ orderId: req.orderId, amountCents: 4500, status: 'AUTHORIZED' });
    expect(payment.paymentId).toMatch(/^pi_/);
  });

  it('captures an authorization, and refunds what it captured', async () => {
    const provider = make();
    const { paymentId } = await provider.authorize(request());
    expect((await provider.capture({ idempotencyKey: `${paymentId}/capture`, paymentId })).status).toBe('CAPTURED');
    expect((await provider.refund({ idempotencyKey: `${paymentId}/refund`, paymentId })).status).toBe('REFUNDED');
  });

  it('voids an authorization it will not capture', async () => {
    const provider = make();
    const { paymentId } = await provider.authorize(request());
    expect(await provider.voidAuthorization({ idempotencyKey: `${paymentId}/void`, paymentId })).toMatchObject({ paymentId, status: 'VOIDED' });
  });

  it('charges at once, as a coffee is paid at the counter', async () => {
    const payment = await make().charge(request());
    expect(payment).toMatchObject({ amountCents: 4500, status: 'CAPTURED' });
  });

  it('refuses a token it does not know, as InvalidPaymentToken', async () => {
    await expectRefusal(make().authorize(request('tok_from_nowhere')), 'InvalidPaymentToken');
  });

  it('lists the money it holds or has taken, for the reconciliation: each authorized, or captured', async () => {
    const held = await make().moneyHeldOrTaken(new Date(Date.now() - 7 * 86_400_000).toISOString());
    for (const payment of held) expect(['AUTHORIZED', 'CAPTURED']).toContain(payment.status);
  });
});

describe('what stripe-mock cannot show, held on the simulated gateway', () => {
  it('a retried call with the same key answers the same payment; a declined or underfunded card, or a token it does not have, is refused; a void after capture is InvalidState', async () => {
    const gateway = new PaymentGateway(fresh.db);
    const req = { idempotencyKey: 'order-x/authorize-payment', orderId: 'order-x', token: 'tok_ok', amountCents: 1200 };
    const first = await gateway.authorize(req);
    expect(await gateway.authorize(req)).toEqual(first);
    await expectRefusal(gateway.authorize({ ...req, idempotencyKey: 'k2', token: 'tok_declined' }), 'CardDeclined');
    await expectRefusal(gateway.authorize({ ...req, idempotencyKey: 'k3', token: 'tok_insufficient_funds' }), 'InsufficientFunds');
    // A checkout's own payment method means nothing to the simulated gateway.
    await expectRefusal(gateway.authorize({ ...req, idempotencyKey: 'k4', token: 'pm_1Qcheckout' }), 'InvalidPaymentToken');
    await gateway.capture({ idempotencyKey: 'order-x/capture', paymentId: first.paymentId });
    await expectRefusal(gateway.voidAuthorization({ idempotencyKey: 'order-x/void', paymentId: first.paymentId }), 'InvalidState');
  });

  it('what it holds or has taken: an authorization while held, a capture made since the time asked, nothing voided or refunded', async () => {
    const gateway = new PaymentGateway(fresh.db);
    const open = (key: string) => gateway.authorize({ idempotencyKey: key, orderId: 'order-y', token: 'tok_ok', amountCents: 700 });
    const [held, captured, voided] = [await open('y1'), await open('y2'), await open('y3')];
    await gateway.capture({ idempotencyKey: 'y2/capture', paymentId: captured.paymentId });
    await gateway.voidAuthorization({ idempotencyKey: 'y3/void', paymentId: voided.paymentId });
    const ids = (since: string) => gateway.moneyHeldOrTaken(since).then((list) => list.filter((p) => p.orderId === 'order-y').map((p) => [p.paymentId, p.status]));
    expect(await ids(new Date(Date.now() - 60_000).toISOString())).toEqual(expect.arrayContaining([[held.paymentId, 'AUTHORIZED'], [captured.paymentId, 'CAPTURED']]));
    expect(await ids(new Date(Date.now() - 60_000).toISOString())).toHaveLength(2);
    expect(await ids(new Date(Date.now() + 60_000).toISOString())).toEqual([[held.paymentId, 'AUTHORIZED']]);
  });
});

describe('the Stripe adapter', () => {
  it("reads the money it holds from Stripe's own PaymentIntents of the window, in a request Stripe's API description allows", async () => {
    const adapter = new StripePayments({ apiKey: stripe.apiKey, apiBase: stripe.recordingUrl, currency: 'usd' });
    const since = new Date(Date.now() - 7 * 86_400_000);
    const before = stripe.sent.length;
    await adapter.moneyHeldOrTaken(since.toISOString());
    const [listing, ...more] = stripe.sent.slice(before);
    expect(more).toEqual([]);
    const url = new URL(listing!.path, 'http://stripe');
    expect([listing!.method, url.pathname, listing!.status]).toEqual(['GET', '/v1/payment_intents', 200]);
    expect(url.searchParams.get('created[gte]')).toBe(String(Math.floor(since.getTime() / 1000)));
    expect([...url.searchParams].filter(([name]) => name.startsWith('expand')).map(([, value]) => value)).toEqual(['data.latest_charge']);
  });

  it("sends each step's key as Stripe's Idempotency-Key, on a PaymentIntent with manual capture confirmed by the server, in the shop's currency", async () => {
    const adapter = new StripePayments({ apiKey: stripe.apiKey, apiBase: stripe.recordingUrl, currency: 'eur' });
    const orderId = uniqueId('order');
    const { paymentId } = await adapter.authorize({ idempotencyKey: `order-${orderId}/authorize-payment`, orderId, token: 'tok_ok', amountCents: 2599 });
    await adapter.capture({ idempotencyKey: `order-${orderId}/capture-payment`, paymentId });
    await adapter.voidAuthorization({ idempotencyKey: `order-${orderId}/void-authorization`, paymentId });
    await adapter.refund({ idempotencyKey: `order-${orderId}/refund-payment`, paymentId });

    const mine = stripe.sent.filter((s) => s.idempotencyKey?.startsWith(`order-${orderId}/`));
    expect(mine.map((s) => [s.method, s.path, s.idempotencyKey, s.status])).toEqual([
      ['POST', '/v1/payment_intents', `order-${orderId}/authorize-payment`, 200],
      ['POST', `/v1/payment_intents/${paymentId}/capture`, `order-${orderId}/capture-payment`, 200],
      ['POST', `/v1/payment_intents/${paymentId}/cancel`, `order-${orderId}/void-authorization`, 200],
      ['POST', '/v1/refunds', `order-${orderId}/refund-payment`, 200],
    ]);
    const created = Object.fromEntries(mine[0]!.body);
    expect(created).toMatchObject({ amount: '2599', currency: 'eur', capture_method: 'manual', confirm: 'true', payment_method: 'pm_card_visa', error_on_requires_action: 'true', 'metadata[orderId]': orderId });
    expect(Object.fromEntries(mine[3]!.body)).toEqual({ payment_intent: paymentId });
  });

  it("maps the shop's test tokens to Stripe's test cards, and passes a checkout's own payment method on", async () => {
    const adapter = new StripePayments({ apiKey: stripe.apiKey, apiBase: stripe.recordingUrl, currency: 'usd' });
    const sentFor = async (token: string) => {
      const orderId = uniqueId('order');
      await adapter.authorize({ idempotencyKey: `${orderId}/a`, orderId, token, amountCents: 100 });
      return stripe.sent.find((s) => s.idempotencyKey === `${orderId}/a`)!.body.get('payment_method');
    };
    expect(await sentFor('tok_declined')).toBe('pm_card_chargeDeclined');
    expect(await sentFor('tok_insufficient_funds')).toBe('pm_card_chargeDeclinedInsufficientFunds');
    expect(await sentFor('pm_1Qcheckout')).toBe('pm_1Qcheckout');
  });

  it('makes Stripe unreachable a GatewayUnavailable that Temporal retries, promptly', async () => {
    const closed = await freePort();
    const adapter = new StripePayments({ apiKey: stripe.apiKey, apiBase: `http://127.0.0.1:${closed}`, currency: 'usd' });
    const started = Date.now();
    const error = await failureOf(adapter.authorize({ idempotencyKey: uniqueId('k'), orderId: uniqueId('order'), token: 'tok_ok', amountCents: 100 }));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).type).toBe('GatewayUnavailable');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("maps Stripe's errors onto the shop's failures: refusals stop the saga, Stripe's faults are retried", () => {
    const raw = (type: 'card_error' | 'rate_limit_error' | 'api_error' | 'idempotency_error' | 'invalid_request_error' | undefined, extra: { code?: string; decline_code?: string } = {}) => ({ type, message: 'as Stripe says', ...extra });
    const mapped = (err: unknown) => {
      const failure = stripeFailure(err);
      return failure instanceof BusinessError ? ['refused', failure.type] : failure instanceof TransientError ? ['retried', failure.type] : ['as it is', String(failure)];
    };
    expect(mapped(new Stripe.errors.StripeCardError(raw('card_error', { code: 'card_declined', decline_code: 'generic_decline' })))).toEqual(['refused', 'CardDeclined']);
    expect(mapped(new Stripe.errors.StripeCardError(raw('card_error', { code: 'expired_card' })))).toEqual(['refused', 'CardDeclined']);
    expect(mapped(new Stripe.errors.StripeCardError(raw('card_error', { code: 'card_declined', decline_code: 'insufficient_funds' })))).toEqual(['refused', 'InsufficientFunds']);
    expect(mapped(new Stripe.errors.StripeRateLimitError(raw('rate_limit_error')))).toEqual(['retried', 'GatewayUnavailable']);
    expect(mapped(new Stripe.errors.StripeAPIError(raw('api_error')))).toEqual(['retried', 'GatewayUnavailable']);
    expect(mapped(new Stripe.errors.StripeConnectionError(raw(undefined)))).toEqual(['retried', 'GatewayUnavailable']);
    expect(mapped(new Stripe.errors.StripeIdempotencyError(raw('idempotency_error')))).toEqual(['refused', 'IdempotencyConflict']);
    expect(mapped(new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', { code: 'payment_intent_unexpected_state' })))).toEqual(['refused', 'InvalidState']);
    expect(mapped(new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', { code: 'resource_missing' })))).toEqual(['refused', 'NotFound']);
    // A request Stripe finds malformed is a bug: left as Stripe's error for a person to read.
    expect(mapped(new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', { code: 'parameter_unknown' })))[0]).toBe('as it is');
  });
});
