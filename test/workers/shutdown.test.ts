import { describe, expect, it } from 'vitest';
import { orderKind } from '../../src/orders/kind';
import { OrderStatusAttribute } from '../../src/shop';
import { orderFulfillment } from '../../src/workflows';
import { orderInput, stockCatalog } from '../orders/fixtures';
import { uniqueId } from '../support/database';
import { activityAttempts, runningAttempt, startWorkerProcess, stopWorkerProcess, useWorkerProcessFixture, waitUntil } from '../support/worker-process';

const fixture = useWorkerProcessFixture();
const { dataDir } = fixture;

describe('the worker process on SIGTERM', () => {
  it('finishes the activity in flight, reports it, and exits 0; another worker finishes the order', async () => {
    const taskQueue = uniqueId('tq-shutdown');
    // Each gateway call takes 2.5 s: long enough to stop the worker in the middle of one.
    const first = await startWorkerProcess({ taskQueue, dataDir, gatewayLatencyMs: 2500 });

    const input = orderInput(await stockCatalog(fixture.services));
    const handle = await fixture.temporal.client.workflow.start(orderFulfillment, { workflowId: orderKind.workflowId(input.orderId), taskQueue, args: [input] });
    await waitUntil(async () => (await runningAttempt(handle, 'authorizePayment')) === 1, 'the authorization to be under way');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // The authorization ran to its end on the stopping worker, and the server knows it.
    const attempts = await activityAttempts(handle);
    expect(attempts.find((a) => a.activity === 'authorizePayment')).toEqual({ activity: 'authorizePayment', attempt: 1, outcome: 'completed' });
    expect(attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'timedOut')).toEqual([]);
    expect(await fixture.services.gateway.paymentsForOrder(input.orderId)).toMatchObject([{ status: 'AUTHORIZED' }]);

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
