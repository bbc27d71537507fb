// The dispatch deadline, on Temporal's time-skipping test server: days pass in a moment.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services';
import { temporaryDatabase, uniqueId } from '../support/database';
import { startTestWorker, type RunningWorker, type TestTemporal, waitForOrder } from '../support/temporal';
import { recordHistories } from '../support/histories';
import { createTimeSkippingEnvironment } from '../support/time-skipping';
import { orderInput, placeOrder, stockCatalog, stockOf } from './order-fixtures';

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
  worker = await startTestWorker(temporal, services);
}, 300_000);
afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await closeDb?.();
});

// After the hooks above: their after-hooks run later, while the environment is still up.
const keep = recordHistories('order-fulfillment');

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
    expect((await services.notifier.sentTo(input.email)).map((n) => n.template)).toEqual(['order-accepted', 'order-cancelled']);
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

