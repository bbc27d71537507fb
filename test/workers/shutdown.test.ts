import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database';
import { OrderStatusAttribute } from '../../src/domain';
import { createServices, type Services } from '../../src/services';
import { orderFulfillment } from '../../src/workflows';
import { uniqueId } from '../support/database';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { activityAttempts, runningAttempt, startWorkerProcess, stopWorkerProcess, waitUntil } from '../support/worker-process';
import { orderInput, stockCatalog } from '../workflows/order-fixtures';

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

describe('the worker process on SIGTERM', () => {
  it('finishes the activity in flight, reports it, and exits 0; another worker finishes the order', async () => {
    const taskQueue = uniqueId('tq-shutdown');
    // Each gateway call takes 2.5 s: long enough to stop the worker in the middle of one.
    const first = await startWorkerProcess({ taskQueue, dataDir, gatewayLatencyMs: 2500 });

    const input = orderInput(await stockCatalog(services));
    const handle = await temporal.client.workflow.start(orderFulfillment, { workflowId: `order-${input.orderId}`, taskQueue, args: [input] });
    await waitUntil(async () => (await runningAttempt(handle, 'authorizePayment')) === 1, 'the authorization to be under way');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // The authorization ran to its end on the stopping worker, and the server knows it.
    const attempts = await activityAttempts(handle);
    expect(attempts.find((a) => a.activity === 'authorizePayment')).toEqual({ activity: 'authorizePayment', attempt: 1, outcome: 'completed' });
    expect(attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'timedOut')).toEqual([]);
    expect(await services.gateway.paymentsForOrder(input.orderId)).toMatchObject([{ status: 'AUTHORIZED' }]);

    const second = await startWorkerProcess({ taskQueue, dataDir });
    try {
      const status = async () => (await handle.describe()).typedSearchAttributes.get(OrderStatusAttribute);
      await waitUntil(async () => (await status()) === 'SHIPMENT_CREATED', 'the second worker to book the shipment');
      await handle.cancel();
    } finally {
      await stopWorkerProcess(second);
    }
  }, 90_000);
});
