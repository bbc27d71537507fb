// Stripe's webhook over the real API, worker, database and Temporal, the payments taken through the
// Stripe adapter on stripe-mock: events signed as Stripe signs them reach the order's workflow as
// an Update and show in its view; what does not apply is refused, what comes after the order ended
// is kept for the reconciliation; a redelivered event is answered as before and kept once;
// unsigned or badly signed events are refused, and without a secret the endpoint is off.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoffeeView } from '../../src/coffee/coffee';
import { cancelCoffee } from '../../src/coffee/messages';
import { cancelOrder, reportShipmentEvent } from '../../src/orders/messages';
import type { ReconciliationReport } from '../../src/reconciliation/drift';
import type { Db } from '../../src/platform/db/database';
import { createServices, type Services, StripePayments } from '../../src/services';
import { reconcileShop } from '../../src/workflows';
import { type HttpClient, serveApi } from '../api/helpers';
import { coffeeInput, placeCoffee, stockCafe } from '../coffee/fixtures';
import { orderInput, placeOrder, stockCatalog } from '../orders/fixtures';
import { temporaryDatabase, uniqueId } from '../support/database';
import { recordHistories } from '../support/histories';
import { startTestStripe, type TestStripe } from '../support/stripe';
import { connectTestTemporal, type RunningWorker, startTestWorker, type TestTemporal, waitForOrder } from '../support/temporal';

const SECRET = 'whsec_testfulfillment0123456789';
let stripe: TestStripe;
let temporal: TestTemporal;
let services: Services;
let db: Db;
let worker: RunningWorker;
let http: HttpClient;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
  closers.unshift(() => stripe.stop());
  const database = await temporaryDatabase();
  closers.unshift(database.close);
  db = database.db;
  services = createServices(db, { payments: new StripePayments({ apiKey: stripe.apiKey, apiBase: stripe.url, currency: 'eur' }) });
  temporal = await connectTestTemporal();
  closers.unshift(() => temporal.close());
  worker = await startTestWorker(temporal, services);
  closers.unshift(() => worker.stop());
  const api = await serveApi({ client: temporal.client, db, services, taskQueue: worker.taskQueue, stripeWebhookSecret: SECRET });
  closers.unshift(() => api.close());
  http = api.http;
}, 60_000);
afterAll(async () => {
  for (const close of closers) await close();
});
// After the hooks above: the histories are fetched while the connection is still open.
const keepOrder = recordHistories('order-fulfillment');
const keepCoffee = recordHistories('coffee-order');

function stripeEvent(type: string, object: Record<string, unknown>) {
  return { id: uniqueId('evt'), object: 'event', type, api_version: '2026-02-25', created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: null, data: { object } };
}
const dispute = (paymentIntent: string, amount: number) => stripeEvent('charge.dispute.created', { id: uniqueId('dp'), object: 'dispute', payment_intent: paymentIntent, amount, currency: 'eur', reason: 'product_not_received', status: 'needs_response' });
const refunded = (paymentIntent: string, amount: number) => stripeEvent('charge.refunded', { id: uniqueId('ch'), object: 'charge', payment_intent: paymentIntent, amount, amount_refunded: amount, refunded: true });

/** Posts the event as Stripe does: the body's exact bytes signed with the endpoint's secret. */
function send(event: object, secret = SECRET, to = http) {
  const payload = JSON.stringify(event);
  return to.send('POST', '/webhooks/stripe', { raw: payload, headers: { 'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) } });
}

async function dispatchedOrder() {
  const input = orderInput(await stockCatalog(services));
  const handle = keepOrder(await placeOrder(temporal.client, worker.taskQueue, input));
  await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
  await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
  const order = await waitForOrder(handle, (o) => o.payment.status === 'CAPTURED');
  return { input, handle, order };
}

describe("Stripe's webhook", () => {
  it('takes a dispute to the order it is for: the workflow keeps it and the view shows it; sent again, the same answer and no second record', async () => {
    const { input, handle, order } = await dispatchedOrder();
    const event = dispute(order.payment.paymentId!, order.totalCents!);

    const answer = await send(event);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ received: true, eventId: event.id, outcome: 'delivered', orderId: input.orderId });
    const view = (await http.get(`/orders/${input.orderId}`)).body;
    expect(view.payment).toMatchObject({ status: 'CAPTURED', events: [{ eventId: event.id, kind: 'dispute', amountCents: order.totalCents, reason: 'product_not_received' }] });

    expect((await send(event)).body).toEqual(answer.body);
    expect((await http.get(`/orders/${input.orderId}`)).body.payment.events).toHaveLength(1);

    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    expect(await handle.result()).toMatchObject({ status: 'COMPLETED', payment: { status: 'CAPTURED', events: [{ eventId: event.id }] } });
  });

  it("takes a refund made in Stripe's dashboard to a coffee order: its payment shows REFUNDED", async () => {
    await stockCafe(services);
    const input = coffeeInput();
    const handle = keepCoffee(await placeCoffee(temporal.client, worker.taskQueue, input));
    const coffee = await waitForOrder<CoffeeView>(handle, (o) => o.status === 'QUEUED' && o.payment.status === 'CAPTURED');
    const event = refunded(coffee.payment.paymentId!, coffee.totalCents);

    expect((await send(event)).body).toMatchObject({ outcome: 'delivered', orderId: input.orderId });
    const view = (await http.get(`/coffee/orders/${input.orderId}`)).body;
    expect(view.payment).toMatchObject({ status: 'REFUNDED', events: [{ eventId: event.id, kind: 'refund', amountCents: coffee.totalCents }] });
    expect(await handle.executeUpdate(cancelCoffee)).toMatchObject({ status: 'CANCELLED' });
  });

  it("refuses, through the workflow's validator, an event that does not apply: a refund of money only authorized", async () => {
    const input = orderInput(await stockCatalog(services));
    const handle = await placeOrder(temporal.client, worker.taskQueue, input);
    const order = await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');

    const answer = await send(refunded(order.payment.paymentId!, order.totalCents!));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: 'refused', orderId: input.orderId, detail: expect.stringContaining('nothing was captured to refund: the payment is authorized') });
    expect((await http.get(`/orders/${input.orderId}`)).body.payment).toEqual({ status: 'AUTHORIZED', paymentId: order.payment.paymentId });
    await handle.executeUpdate(cancelOrder, { args: [{}] });
  });

  it('keeps a dispute on an order that has ended, and the next reconciliation reports it for a person', async () => {
    const { input, handle, order } = await dispatchedOrder();
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    await handle.result();

    const event = dispute(order.payment.paymentId!, order.totalCents!);
    expect((await send(event)).body).toMatchObject({ outcome: 'order-ended', orderId: input.orderId });

    const report: ReconciliationReport = await temporal.client.workflow.execute(reconcileShop, { taskQueue: worker.taskQueue, workflowId: uniqueId('reconcile') });
    const contested = report.drift.filter((d) => d.kind === 'payment-contested');
    expect(contested).toEqual([expect.objectContaining({ orderId: input.orderId, detail: expect.stringContaining(event.id) })]);
  });

  it("ignores events the shop does not act on, and payments that are not the shop's", async () => {
    const other = stripeEvent('customer.created', { id: 'cus_1', object: 'customer' });
    expect((await send(other)).body).toEqual({ received: true, eventId: other.id, outcome: 'ignored', detail: 'the shop does not act on customer.created' });
    const foreign = dispute('pi_notTheShops', 500);
    expect((await send(foreign)).body).toMatchObject({ outcome: 'ignored', detail: "payment pi_notTheShops is not one the shop took" });
  });

  it('refuses what Stripe did not sign (401), an event without what the shop reads (400), and is off without a secret (404)', async () => {
    const event = dispute('pi_x', 100);
    const unsigned = await http.send('POST', '/webhooks/stripe', { json: event });
    expect([unsigned.status, unsigned.body.detail]).toEqual([401, expect.stringContaining('Stripe-Signature header is missing')]);
    const forged = await send(event, 'whsec_someoneElse');
    expect([forged.status, forged.body.detail]).toEqual([401, expect.stringContaining('does not verify')]);

    const lacking = await send(stripeEvent('charge.dispute.created', { id: 'dp_1', object: 'dispute', amount: 100 }));
    expect(lacking.status).toBe(400);
    expect(lacking.body.errors).toEqual([expect.objectContaining({ field: 'data.object.payment_intent' })]);

    const off = await serveApi({ client: temporal.client, db, services, taskQueue: worker.taskQueue });
    try {
      expect((await send(event, SECRET, off.http)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
