// The payment steps run on a task queue of their own, where Temporal holds them to one rate across
// every worker (maxTaskQueueActivitiesPerSecond, PAYMENT_ACTIVITIES_PER_SECOND): two worker
// processes at 2 a second each take a burst of orders' authorizations no faster than 2 a second between them.
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentTaskQueue } from '../../src/saga/activity-options';
import { orderInput, placeOrder, stockCatalog } from '../orders/fixtures';
import { uniqueId } from '../support/database';
import type { Spawned } from '../support/processes';
import { waitForOrder } from '../support/temporal';
import { startWorkerProcess, stopWorkerProcess, useWorkerProcessFixture } from '../support/worker-process';

const RATE = 2;
const ORDERS = 12;
const fixture = useWorkerProcessFixture();
const taskQueue = uniqueId('tq-rate');
const workers: Spawned[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i += 1) workers.push(await startWorkerProcess({ taskQueue, dataDir: fixture.dataDir, env: { PAYMENT_ACTIVITIES_PER_SECOND: String(RATE) } }));
}, 60_000);
afterAll(async () => {
  for (const worker of workers) await stopWorkerProcess(worker);
});

/** When each attempt of the named activity started, in ms, from the order's history. */
async function startsOf(handle: WorkflowHandle, activity: string): Promise<number[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity).map((e) => String(e.eventId)));
  return events.filter((e) => scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId))).map((e) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6));
}

describe('the payment steps', () => {
  it(`run on their own task queue, held to ${RATE} a second across two worker processes`, async () => {
    const pollers = await fixture.temporal.client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: paymentTaskQueue(taskQueue) }, taskQueueType: 2 /* ACTIVITY */ });
    expect(pollers.pollers).toHaveLength(2);

    const catalog = await stockCatalog(fixture.services, ORDERS * 4);
    const handles = await Promise.all(Array.from({ length: ORDERS }, () => placeOrder(fixture.temporal.client, taskQueue, orderInput(catalog))));
    await Promise.all(handles.map((h) => waitForOrder(h, (o) => o.status === 'SHIPMENT_CREATED', 60_000)));

    const starts = (await Promise.all(handles.map((h) => startsOf(h, 'authorizePayment')))).flat().sort((a, b) => a - b);
    expect(starts).toHaveLength(ORDERS);
    // All twelve were ready within moments of each other; at 2 a second for the queue (a token
    // bucket lets a second's worth through at once) they take at least (12 - 2) / 2 = 5 s. Held
    // per worker instead, two workers would have taken them in half that.
    const spanSeconds = (starts.at(-1)! - starts[0]!) / 1000;
    expect(spanSeconds).toBeGreaterThanOrEqual((ORDERS - RATE) / RATE - 0.5);
    // The other steps are not held: the orders' own queue has no rate.
    const reserves = (await Promise.all(handles.map((h) => startsOf(h, 'reserveInventory')))).flat();
    expect(reserves).toHaveLength(ORDERS);
    for (const h of handles) await h.cancel();
  }, 90_000);
});
