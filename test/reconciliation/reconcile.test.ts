// The reconciliation over the real worker, database and Temporal: each kind of drift injected and
// seen reported or healed; a clean shop reports none; a second run heals nothing twice; the
// Schedule exists once however many workers make sure of it, and runs the reconciliation.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelOrder, reportShipmentEvent } from '../../src/orders/messages';
import { driftKinds, type ReconciliationReport } from '../../src/reconciliation/drift';
import { ensureReconcileSchedule } from '../../src/reconciliation/schedule';
import { reconcileShop } from '../../src/workflows';
import { SHIFT_MANAGER } from '../../src/shop';
import { orderInput, placeOrder, stockCatalog, stockOf } from '../orders/fixtures';
import { uniqueId } from '../support/database';
import { testCodec } from '../support/secrets';
import { type RunningWorker, startTestStack, startVersionedWorker, type TestStack, waitForOrder } from '../support/temporal';
import { waitFor } from '../support/wait';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const reconcile = (worker: RunningWorker = stack.worker): Promise<ReconciliationReport> =>
  stack.temporal.client.workflow.execute(reconcileShop, { taskQueue: worker.taskQueue, workflowId: uniqueId('reconcile') });

const kindsOf = (report: ReconciliationReport, orderId: string) => report.drift.filter((d) => d.orderId === orderId).map((d) => [d.kind, d.healed ?? false]);

async function orderAtShipment() {
  const catalog = await stockCatalog(stack.services);
  const input = orderInput(catalog);
  const handle = await placeOrder(stack.temporal.client, stack.worker.taskQueue, input);
  await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
  return { input, handle, catalog };
}

describe('the reconciliation', () => {
  it('reports nothing for a clean shop, and records the run', async () => {
    const { handle } = await orderAtShipment();
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    await handle.result();

    const report = await reconcile();

    expect(report.drift).toEqual([]);
    expect(Object.keys(report.counts).sort()).toEqual([...driftKinds].sort());
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
    expect(await stack.services.ledger.latestRun()).toMatchObject({ runId: report.runId, driftCount: 0, healedCount: 0 });
    expect(await stack.services.notificationOutbox.sentTo(SHIFT_MANAGER)).toEqual([]);
  });

  it('heals a terminated order that held stock and money: the authorization voided, the stock released, the closing reported; a second run heals nothing again', async () => {
    const { input, handle, catalog } = await orderAtShipment();
    const before = await stockOf(stack.services, catalog);
    await handle.terminate('an operator ended it by hand');

    const report = await reconcile();

    expect(kindsOf(report, input.orderId)).toEqual([
      ['money-held-for-ended-order', true],
      ['stock-held-for-no-open-order', true],
      ['closed-from-outside', false],
    ]);
    expect(await stack.services.gateway.paymentsForOrder(input.orderId)).toMatchObject([{ status: 'VOIDED' }]);
    const after = await stockOf(stack.services, catalog);
    expect(after.mug.available).toBe(before.mug.available + input.items.find((i) => i.sku === catalog.mug)!.quantity);
    expect(after.mug.reserved).toBe(before.mug.reserved - input.items.find((i) => i.sku === catalog.mug)!.quantity);

    // The shift manager hears of it.
    const mail = (await stack.services.notificationOutbox.sentTo(SHIFT_MANAGER)).find((m) => m.template === 'reconciliation-drift' && m.data.runId === report.runId);
    expect(mail?.data).toMatchObject({ found: report.drift.length, healed: report.drift.filter((d) => d.healed).length });

    const again = await reconcile();
    expect(kindsOf(again, input.orderId)).toEqual([['closed-from-outside', false]]);
  });

  it('heals stock reserved for an order no workflow has', async () => {
    const catalog = await stockCatalog(stack.services);
    const orphan = uniqueId('orphan');
    const reservation = await stack.services.inventory.reserve({ idempotencyKey: `${orphan}/reserve`, orderId: orphan, items: [{ sku: catalog.mug, quantity: 1 }] });

    const report = await reconcile();

    expect(report.drift.filter((d) => d.orderId === orphan)).toMatchObject([{ kind: 'stock-held-for-no-open-order', healed: true, heal: { reservation: reservation.reservationId } }]);
    expect(await stack.services.inventory.getReservation(reservation.reservationId)).toMatchObject({ status: 'RELEASED' });
  });

  it('reports money captured for a cancelled order, and an authorization left on a completed one, for a person', async () => {
    const cancelled = await orderAtShipment();
    await cancelled.handle.executeUpdate(cancelOrder, { args: [{ reason: 'changed my mind' }] });
    // A capture made outside the saga (by hand, at the provider) for the cancelled order.
    const stray = await stack.services.gateway.authorize({ idempotencyKey: uniqueId('by-hand'), orderId: cancelled.input.orderId, token: 'tok_ok', amountCents: 999 });
    await stack.services.gateway.capture({ idempotencyKey: uniqueId('by-hand'), paymentId: stray.paymentId });

    const completed = await orderAtShipment();
    await completed.handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    await completed.handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    await completed.handle.result();
    await stack.services.gateway.authorize({ idempotencyKey: uniqueId('by-hand'), orderId: completed.input.orderId, token: 'tok_ok', amountCents: 500 });

    const report = await reconcile();

    expect(kindsOf(report, cancelled.input.orderId)).toEqual([['captured-not-completed', false]]);
    expect(kindsOf(report, completed.input.orderId)).toEqual([['completed-not-captured', false]]);
    expect(await stack.services.gateway.getPayment(stray.paymentId)).toMatchObject({ status: 'CAPTURED' });
  });

  it('reports mail and events waiting too long, and orders open past their deadlines', async () => {
    // A worker whose thresholds have passed already: whatever waits is late, and any open order overdue.
    const impatient = await startVersionedWorker(stack.temporal, {
      taskQueue: uniqueId('tq-impatient'),
      services: stack.services,
      codec: testCodec,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      reconciliation: { outboxMinutes: 0, dispatchDeadlineHours: -1 },
    });
    try {
      const input = orderInput(await stockCatalog(stack.services));
      const open = await placeOrder(stack.temporal.client, impatient.taskQueue, input);
      await waitForOrder(open, (o) => o.status === 'SHIPMENT_CREATED');

      const report = await reconcile(impatient);

      // No relay or publisher runs here: the order's mail and events wait in their outboxes.
      expect(report.drift.filter((d) => d.kind === 'events-waiting' && d.orderId === input.orderId)).toHaveLength(4);
      expect(report.drift.some((d) => d.kind === 'mail-waiting' && d.detail.includes('order-accepted'))).toBe(true);
      expect(report.drift.filter((d) => d.kind === 'open-past-deadline').map((d) => d.orderId)).toEqual([input.orderId]);
      await open.cancel();
    } finally {
      await impatient.stop();
    }
  });
});

describe('its Schedule', () => {
  it('exists once however many workers make sure of it, skips a run due while one is going (overlap SKIP), and runs the reconciliation', async () => {
    const scheduleId = uniqueId('reconcile-shop');
    const outcomes = await Promise.all([1, 2, 3].map(() => ensureReconcileSchedule(stack.temporal.client, { taskQueue: stack.worker.taskQueue, everyMinutes: 15, scheduleId })));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'created')).toEqual(['kept', 'kept']);
    const handle = stack.temporal.client.schedule.getHandle(scheduleId);
    try {
      const described = await handle.describe();
      expect(described.spec.intervals).toMatchObject([{ every: 15 * 60_000 }]);
      expect(described.policies.overlap).toBe('SKIP');
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconcileShop', taskQueue: stack.worker.taskQueue });

      // A worker with another interval brings the Schedule in line.
      expect(await ensureReconcileSchedule(stack.temporal.client, { taskQueue: stack.worker.taskQueue, everyMinutes: 5, scheduleId })).toBe('updated');
      expect((await handle.describe()).spec.intervals).toMatchObject([{ every: 5 * 60_000 }]);

      const before = await stack.services.ledger.latestRun();
      await handle.trigger();
      const run = await waitFor(() => stack.services.ledger.latestRun(), (r) => r !== undefined && r.runId !== before?.runId, { what: 'a run started by the Schedule' });
      expect(run).toMatchObject({ driftCount: expect.any(Number) });
    } finally {
      await handle.delete();
    }
  });
});
