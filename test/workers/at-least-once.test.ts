import { describe, expect, it } from 'vitest';
import { orderKind } from '../../src/orders/kind';
import { OrderStatusAttribute } from '../../src/shop';
import { orderFulfillment } from '../../src/workflows';
import { orderInput, stockCatalog } from '../orders/fixtures';
import { uniqueId } from '../support/database';
import { activityAttempts, runningAttempt, startWorkerProcess, stopWorkerProcess, useWorkerProcessFixture, waitUntil } from '../support/worker-process';

const fixture = useWorkerProcessFixture();
const { dataDir } = fixture;

describe('an activity whose worker dies after the side effect, before reporting it', () => {
  it('runs again on another worker, and the idempotency key keeps the effect single', async () => {
    const taskQueue = uniqueId('tq-kill');
    // 6 s round trips: the authorization is written 3 s in, and answered 3 s after that.
    const doomed = await startWorkerProcess({ taskQueue, dataDir, gatewayLatencyMs: 6000 });
    const input = orderInput(await stockCatalog(fixture.services));
    const handle = await fixture.temporal.client.workflow.start(orderFulfillment, { workflowId: orderKind.workflowId(input.orderId), taskQueue, args: [input] });

    // The kill lands in the window: the payment exists, the server has not heard of it.
    await waitUntil(async () => (await fixture.services.gateway.paymentsForOrder(input.orderId)).length > 0, 'the gateway to authorize');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(await runningAttempt(handle, 'authorizePayment')).toBe(1);
    expect((await activityAttempts(handle)).find((a) => a.activity === 'authorizePayment')?.outcome).toBe('running');

    // A new worker picks the activity up once its first attempt times out (10 s), and runs it again.
    const rescuer = await startWorkerProcess({ taskQueue, dataDir });
    try {
      const status = async () => (await handle.describe()).typedSearchAttributes.get(OrderStatusAttribute);
      await waitUntil(async () => (await status()) === 'SHIPMENT_CREATED', 'the order to go on', 40_000);

      expect((await activityAttempts(handle)).find((a) => a.activity === 'authorizePayment')).toMatchObject({ attempt: 2, outcome: 'completed' });
      const payments = await fixture.services.gateway.paymentsForOrder(input.orderId);
      expect(payments).toHaveLength(1);
      expect(payments[0]).toMatchObject({ status: 'AUTHORIZED', amountCents: 4740 });
      await handle.cancel();
      await handle.result();
      expect((await fixture.services.gateway.paymentsForOrder(input.orderId)).map((p) => p.status)).toEqual(['VOIDED']);
    } finally {
      await stopWorkerProcess(rescuer);
    }
  }, 90_000);
});
