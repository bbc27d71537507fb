// A worker with PAYMENT_PROVIDER=stripe takes an order's money through the Stripe adapter, here on
// stripe-mock: an order runs to COMPLETED (authorized, captured on dispatch) and one to CANCELLED
// (the authorization cancelled), each step's key sent as Stripe's Idempotency-Key, and nothing
// in the simulated gateway. Without its key, the worker does not start. While Stripe is down,
// the circuit breaker holds the workers' calls back and no order fails for good.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderKind } from '../../src/orders/kind';
import { cancelOrder, reportShipmentEvent } from '../../src/orders/messages';
import { orderFulfillment, reconcileShop } from '../../src/workflows';
import { orderInput, stockCatalog } from '../orders/fixtures';
import { uniqueId } from '../support/database';
import { freePort, type Spawned, spawnNode } from '../support/processes';
import { alertSelector, samples } from '../support/prometheus';
import { startTestStripe, type TestStripe } from '../support/stripe';
import { waitForOrder } from '../support/temporal';
import { activityAttempts, startWorkerProcess, stopWorkerProcess, useWorkerProcessFixture, waitUntil } from '../support/worker-process';

const fixture = useWorkerProcessFixture();
const taskQueue = uniqueId('tq-stripe');
let stripe: TestStripe;
let worker: Spawned;

beforeAll(async () => {
  stripe = await startTestStripe();
  worker = await startWorkerProcess({
    taskQueue,
    dataDir: fixture.dataDir,
    env: { PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.recordingUrl, CURRENCY: 'EUR' },
  });
}, 90_000);
afterAll(async () => {
  if (worker) await stopWorkerProcess(worker);
  await stripe?.stop();
});

async function placeOrder(on = taskQueue) {
  const input = orderInput(await stockCatalog(fixture.services));
  const handle = await fixture.temporal.client.workflow.start(orderFulfillment, { workflowId: orderKind.workflowId(input.orderId), taskQueue: on, args: [input] });
  return { input, handle, workflowId: orderKind.workflowId(input.orderId) };
}

/** What the worker asked of Stripe for one order: each request's path and its Idempotency-Key's step. */
function sentFor(workflowId: string): string[] {
  return stripe.sent.filter((s) => s.idempotencyKey?.startsWith(`${workflowId}/`)).map((s) => `${s.path.replace(/pi_\w+/, 'pi_…')} ${s.idempotencyKey!.slice(workflowId.length + 1)} ${s.status}`);
}

describe('a worker with PAYMENT_PROVIDER=stripe', () => {
  it('takes an order to COMPLETED: authorized on Stripe when paid for, captured when the parcel leaves', async () => {
    const { input, handle, workflowId } = await placeOrder();
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    const order = await handle.result();

    expect(order).toMatchObject({ status: 'COMPLETED', payment: { status: 'CAPTURED' } });
    expect(order.payment.paymentId).toMatch(/^pi_/);
    expect(sentFor(workflowId)).toEqual(['/v1/payment_intents authorize-payment 200', '/v1/payment_intents/pi_…/capture capture-payment 200']);
    const created = stripe.sent.find((s) => s.idempotencyKey === `${workflowId}/authorize-payment`)!.body;
    expect([created.get('amount'), created.get('currency'), created.get('capture_method')]).toEqual([String(order.totalCents), 'eur', 'manual']);
    expect(await fixture.services.gateway.paymentsForOrder(input.orderId)).toEqual([]);
  }, 60_000);

  it('takes a cancelled order to CANCELLED, its authorization cancelled on Stripe', async () => {
    const { handle, workflowId } = await placeOrder();
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    const order = await handle.executeUpdate(cancelOrder, { args: [{ reason: 'changed my mind' }] });

    expect(order).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
    expect(sentFor(workflowId)).toEqual(['/v1/payment_intents authorize-payment 200', '/v1/payment_intents/pi_…/cancel void-authorization 200']);
  }, 60_000);

  it("reconciles against Stripe's own PaymentIntents: the run reads them and finds nothing wrong with a clean shop", async () => {
    const before = stripe.sent.length;
    const report = await fixture.temporal.client.workflow.execute(reconcileShop, { taskQueue, workflowId: uniqueId('reconcile') });
    const listed = stripe.sent.slice(before).map((s) => `${s.method} ${new URL(s.path, 'http://stripe').pathname} ${s.status}`);
    expect(listed).toContain('GET /v1/payment_intents 200');
    expect(report.counts).toMatchObject({ 'captured-not-completed': 0, 'completed-not-captured': 0, 'money-held-for-ended-order': 0 });
  }, 60_000);

  it('does not start without STRIPE_API_KEY, and says so', async () => {
    const lacking = spawnNode('main/worker.js', { PAYMENT_PROVIDER: 'stripe', DATA_DIR: fixture.dataDir });
    expect(await lacking.exited).toBe(2);
    expect(lacking.output()).toMatch(/STRIPE_API_KEY.*needed when PAYMENT_PROVIDER=stripe/);
  });
});

describe('Stripe down', () => {
  it('opens the breaker: Stripe sees only its probes, no order fails for good, and all complete once it is back', async () => {
    const outage = await startTestStripe();
    const metricsPort = await freePort();
    const queue = uniqueId('tq-stripe-down');
    const openSeconds = 2;
    const guarded = await startWorkerProcess({
      taskQueue: queue,
      dataDir: fixture.dataDir,
      env: { PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: outage.apiKey, STRIPE_API_BASE: outage.recordingUrl, PAYMENT_BREAKER_FAULTS: '3', PAYMENT_BREAKER_OPEN_SECONDS: String(openSeconds), WORKER_METRICS_PORT: String(metricsPort) },
    });
    // The alert's own selector, read from the worker's metrics.
    const { metric, labels } = alertSelector('PaymentProviderCircuitOpen');
    const metrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const gauge = async () => samples(await metrics(), metric).find((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value;
    try {
      await outage.down();
      const downAt = Date.now();
      const orders = await Promise.all(Array.from({ length: 8 }, () => placeOrder(queue)));
      await waitUntil(async () => (await gauge()) === 1, 'the breaker to open');
      await sleep(Math.max(0, 8000 - (Date.now() - downAt)));
      const reachedWhileDown = outage.sent.filter((s) => s.status === 0).length;
      await outage.up();
      const downSeconds = (Date.now() - downAt) / 1000;

      // Every order gets its money authorized once Stripe is back, and runs to its end.
      for (const { handle } of orders) await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED', 60_000);
      for (const { handle } of orders) {
        await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
        await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
      }
      const ended = await Promise.all(orders.map(({ handle }) => handle.result()));
      expect(ended.map((o) => o.status)).toEqual(Array(8).fill('COMPLETED'));

      // While down, Stripe saw the first call of each order (all in flight before the first
      // failed, so before the breaker could count them) and then one probe per opening, each call
      // sent three times by the SDK (its own two retries). Temporal retried far more often: the
      // breaker failed those attempts at once.
      const attempts = (await Promise.all(orders.map(({ handle }) => activityAttempts(handle)))).flat().filter((a) => a.activity === 'authorizePayment');
      const failedAttempts = attempts.reduce((n, a) => n + a.attempt - 1, 0);
      const callsThrough = orders.length + Math.ceil(downSeconds / openSeconds);
      expect(reachedWhileDown).toBeGreaterThan(0);
      expect(reachedWhileDown).toBeLessThanOrEqual(3 * callsThrough);
      expect(failedAttempts, 'attempts Temporal made while Stripe was down').toBeGreaterThan(callsThrough);
      const refused = samples(await metrics(), 'payment_provider_calls_refused').find((m) => m.labels.provider === 'stripe')?.value ?? 0;
      expect(refused).toBeGreaterThanOrEqual(failedAttempts - callsThrough);
      expect(await gauge()).toBe(0);
    } finally {
      await stopWorkerProcess(guarded);
      await outage.stop();
    }
  }, 120_000);
});
