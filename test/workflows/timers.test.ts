// The workflows' timers (the dispatch deadline, the coffee pickup time and barista service
// time) at their real lengths, on Temporal's time-skipping test server: days pass in a moment.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoffeeView } from '../../src/coffee/coffee';
import { claimCoffee, markCoffeeReady, pickUpCoffee, reportCoffeeFailure } from '../../src/coffee/messages';
import { createServices, type Services } from '../../src/services';
import { SHIFT_MANAGER } from '../../src/shop';
import { coffeeInput, placeCoffee, shelfAfter, shelfOf, stockCafe, usedByDefaultOrder } from '../coffee/fixtures';
import { orderInput, placeOrder, stockCatalog, stockOf } from '../orders/fixtures';
import { temporaryDatabase, uniqueId } from '../support/database';
import { recordHistories } from '../support/histories';
import { startTestWorker, type RunningWorker, type TestTemporal, waitForOrder } from '../support/temporal';
import { createTimeSkippingEnvironment } from '../support/time-skipping';

let env: TestWorkflowEnvironment;
let services: Services;
let worker: RunningWorker;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  const db = await temporaryDatabase();
  closeDb = db.close;
  services = createServices(db.db);
  env = await createTimeSkippingEnvironment();
  const temporal: TestTemporal = { client: env.client, nativeConnection: env.nativeConnection, close: async () => undefined };
  // The time-skipping server has no Worker Deployments: it gives every task to whoever polls, so
  // the versioned worker is not made current (the server would refuse the call).
  worker = await startTestWorker(temporal, services, uniqueId('tq'), { current: false });
}, 300_000);
afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await closeDb?.();
});

// After the hooks above: their after-hooks run later, while the environment is still up.
const keep = recordHistories('order-fulfillment');
const keepCoffee = recordHistories('coffee-order');

describe('an order the carrier does not collect', () => {
  it('is cancelled after DISPATCH_DEADLINE_HOURS like a customer cancel: every step undone, and the customer told why', async () => {
    const catalog = await stockCatalog(services);
    const untouched = await stockOf(services, catalog);
    const input = orderInput(catalog, { dispatchDeadlineHours: 72 });
    const handle = keep(await placeOrder(env.client, worker.taskQueue, input));
    const startedAt = await env.currentTimeMs();

    // No carrier event ever comes; waiting for the ending lets the server's clock run ahead.
    const order = await handle.result();

    expect(order.status).toBe('CANCELLED');
    expect(order.failure).toEqual({ type: 'Cancelled', message: 'not dispatched within 72 hours' });
    expect(order.payment.status).toBe('VOIDED');
    expect(order.shipment?.status).toBe('CANCELLED');
    expect(order.compensations.map((c) => c.name)).toEqual(['cancelShipment', 'voidAuthorization', 'releaseInventory']);
    expect(await stockOf(services, catalog)).toEqual(untouched);
    expect((await services.notificationOutbox.sentTo(input.email)).map((n) => n.template)).toEqual(['order-accepted', 'order-cancelled']);
    expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(72 * 3_600_000);
  });

  it('that is collected in time goes on as usual, its deadline timer cancelled', async () => {
    const catalog = await stockCatalog(services);
    const handle = keep(await placeOrder(env.client, worker.taskQueue, orderInput(catalog, { orderId: uniqueId('ord'), dispatchDeadlineHours: 72 })));
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');

    await env.sleep('71 hours');
    await handle.executeUpdate('reportShipmentEvent', { args: [{ event: 'DELIVERED' }] });
    const order = await handle.result();

    expect(order.status).toBe('COMPLETED');
    expect(order.payment.status).toBe('CAPTURED');
    const { events } = await handle.fetchHistory();
    expect(events?.filter((e) => e.timerCanceledEventAttributes)).toHaveLength(1);
  });
});

describe('a coffee order', () => {
  it('not picked up within the pickup time (30 minutes) is ABANDONED, paid and used', async () => {
    await stockCafe(services);
    const shelf = await shelfOf(services);
    const input = coffeeInput({ pickupTimeoutSeconds: 1800 });
    const handle = keepCoffee(await placeCoffee(env.client, worker.taskQueue, input));
    await waitForOrder<CoffeeView>(handle, (o) => o.status === 'QUEUED');
    await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] });
    await handle.executeUpdate(markCoffeeReady);
    const readyAt = await env.currentTimeMs();

    const abandoned = await handle.result();

    expect(abandoned.status).toBe('ABANDONED');
    expect((await env.currentTimeMs()) - readyAt).toBeGreaterThanOrEqual(1800 * 1000);
    expect((await services.gateway.paymentsForOrder(input.orderId))[0]?.status).toBe('CAPTURED');
    expect(await shelfOf(services)).toEqual(shelfAfter(shelf, usedByDefaultOrder, 'used'));
    // The workflow has ended: a late pickup reaches nothing (the API answers it 409).
    await expect(handle.executeUpdate(pickUpCoffee)).rejects.toThrow(/completed|closed|not found/i);
  });

  it('no barista claims within the service time (5 minutes) alerts the shift manager once and stays queued', async () => {
    await stockCafe(services);
    const input = coffeeInput({ claimSlaSeconds: 300 });
    const handle = keepCoffee(await placeCoffee(env.client, worker.taskQueue, input));
    await waitForOrder<CoffeeView>(handle, (o) => o.status === 'QUEUED');

    await env.sleep('4 minutes');
    expect((await services.notificationOutbox.sentTo(SHIFT_MANAGER)).filter((n) => n.data.orderId === input.orderId)).toEqual([]);
    await env.sleep('2 minutes');
    const alerted = await waitForOrder<CoffeeView>(handle, (o) => o.steps.some((s) => s.name === 'notify:coffee-unclaimed'));

    expect(alerted.status).toBe('QUEUED');
    await env.sleep('1 hour');
    const alerts = (await services.notificationOutbox.sentTo(SHIFT_MANAGER)).filter((n) => n.data.orderId === input.orderId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ template: 'coffee-unclaimed', data: { customerName: input.customerName, waitingSeconds: 300 } });
    // Still claimable after the alert.
    expect((await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] })).status).toBe('PREPARING');
    await handle.executeUpdate(reportCoffeeFailure, { args: [{ reason: 'test over' }] });
  });
});
