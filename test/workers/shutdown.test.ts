import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database';
import { OrderStatusAttribute as orderStatusKey } from '../../src/domain';
import { createServices, type Services } from '../../src/services';
import { orderFulfillment } from '../../src/workflows';
import { uniqueId } from '../support/database';
import { type Spawned, spawnNode, waitForOutput } from '../support/processes';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { activityRuns, orderInput, stockCatalog } from '../workflows/order-fixtures';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-shutdown-'));
let temporal: TestTemporal;
let db: Db;
let services: Services;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  // The same SQLite file the worker process opens, as a second process would.
  db = await openDatabase({ filename: path.join(dataDir, 'business.db') });
  services = createServices(db);
});

afterAll(async () => {
  await temporal?.close();
  await db?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startWorkerProcess(taskQueue: string): Spawned {
  return spawnNode('workers/main.js', {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dataDir,
    // Each gateway call takes 2.5 s: long enough to stop the worker in the middle of one.
    SIMULATED_GATEWAY_LATENCY_MS: '2500',
    WORKER_METRICS_PORT: '0',
  });
}

describe('the worker process on SIGTERM', () => {
  it('finishes the activity in flight, reports it, and exits 0; another worker finishes the order', async () => {
    const taskQueue = uniqueId('tq-shutdown');
    const first = startWorkerProcess(taskQueue);
    await waitForOutput(first, /worker polling/);

    const catalog = await stockCatalog(services);
    const input = orderInput(catalog);
    const handle = await temporal.client.workflow.start(orderFulfillment, { workflowId: `order-${input.orderId}`, taskQueue, args: [input] });
    await waitForHistory(handle, (events) => events.some((e) => e.activityTaskStartedEventAttributes && isAuthorize(events, e)));

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // The authorization ran to its end on the stopping worker, and the server knows it.
    const runs = await activityRuns(handle);
    expect(runs.filter((r) => r.activity === 'authorizePayment')).toEqual([{ activity: 'authorizePayment', attempt: 1 }]);
    const { events } = await handle.fetchHistory();
    const completed = (events ?? []).filter((e) => e.activityTaskCompletedEventAttributes).map((e) => scheduledName(events ?? [], e.activityTaskCompletedEventAttributes?.scheduledEventId));
    expect(completed).toEqual(expect.arrayContaining(['reserveInventory', 'authorizePayment']));
    expect((events ?? []).some((e) => e.activityTaskTimedOutEventAttributes || e.activityTaskFailedEventAttributes)).toBe(false);
    expect(await services.gateway.paymentsForOrder(input.orderId)).toMatchObject([{ status: 'AUTHORIZED' }]);

    const second = startWorkerProcess(taskQueue);
    try {
      await waitForOutput(second, /worker polling/);
      const deadline = Date.now() + 30_000;
      while ((await handle.describe()).typedSearchAttributes.get(orderStatusKey) !== 'SHIPMENT_CREATED' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect((await handle.describe()).typedSearchAttributes.get(orderStatusKey)).toBe('SHIPMENT_CREATED');
      await handle.cancel();
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 90_000);
});

type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<TestTemporal['client']['workflow']['getHandle']>['fetchHistory']>>['events']>[number];

function scheduledName(events: HistoryEvent[], scheduledEventId: unknown): string | undefined {
  const scheduled = events.find((e) => String(e.eventId) === String(scheduledEventId));
  return scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
}

function isAuthorize(events: HistoryEvent[], started: HistoryEvent): boolean {
  return scheduledName(events, started.activityTaskStartedEventAttributes?.scheduledEventId) === 'authorizePayment';
}

async function waitForHistory(handle: { fetchHistory: () => Promise<{ events?: HistoryEvent[] | null }> }, until: (events: HistoryEvent[]) => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { events } = await handle.fetchHistory();
    if (until(events ?? [])) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the history never showed the expected event');
}
