import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CoffeeView } from '../../src/coffee/coffee';
import { cancelCoffee, claimCoffee, getCoffeeOrder, markCoffeeReady, pickUpCoffee, reportCoffeeFailure } from '../../src/coffee/messages';
import type { Services } from '../../src/services';
import { CoffeeStatusAttribute } from '../../src/shop';
import { activityRuns } from '../orders/fixtures';
import { recordHistories } from '../support/histories';
import { type RunningWorker, startTestStack, type TestStack, type TestTemporal, waitForOrder } from '../support/temporal';
import { coffeeInput, placeCoffee, shelfAfter, shelfOf, stockCafe, usedByDefaultOrder } from './fixtures';

let stack: TestStack;
let temporal: TestTemporal;
let services: Services;
let worker: RunningWorker;

beforeAll(async () => {
  stack = await startTestStack();
  ({ temporal, services, worker } = stack);
});
afterAll(() => stack?.stop());
const keep = recordHistories('coffee-order');

// Each test starts from a full shelf; orders of earlier tests have all ended.
beforeEach(() => stockCafe(services));

/** Places an order; `shelf` is the shelf as it was just before, to compare the ending with. */
async function order(overrides: Parameters<typeof coffeeInput>[0] = {}) {
  const input = coffeeInput(overrides);
  const shelf = await shelfOf(services);
  return { input, shelf, handle: keep(await placeCoffee(temporal.client, worker.taskQueue, input)) };
}

const until = (handle: WorkflowHandle, check: (o: CoffeeView) => boolean) => waitForOrder<CoffeeView>(handle, check);

const queued = (handle: WorkflowHandle) => until(handle, (o) => o.status === 'QUEUED');

async function refusalOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((err as WorkflowUpdateFailedError).cause?.message);
}

describe('a coffee order that goes well', () => {
  it('is paid, queued, claimed, made with its ingredients, and picked up', async () => {
    const { input, shelf, handle } = await order();
    const waiting = await queued(handle);
    expect(waiting).toMatchObject({ totalCents: 1150, payment: { status: 'CAPTURED' } });
    expect(await shelfOf(services)).toEqual(shelfAfter(shelf, usedByDefaultOrder, 'reserved'));

    expect(await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] })).toMatchObject({ status: 'PREPARING', barista: 'Ana' });
    expect((await handle.executeUpdate(markCoffeeReady)).status).toBe('READY');
    expect(await shelfOf(services)).toEqual(shelfAfter(shelf, usedByDefaultOrder, 'used'));
    const done = await handle.executeUpdate(pickUpCoffee);

    expect(done.status).toBe('PICKED_UP');
    expect(done.compensations).toEqual([]);
    const [payment] = await services.gateway.paymentsForOrder(input.orderId);
    expect(payment).toMatchObject({ status: 'CAPTURED', amountCents: 1150 });
    expect((await services.notificationOutbox.sentTo(input.customerName)).map((n) => n.template)).toEqual(['coffee-ready']);
    expect((await handle.describe()).typedSearchAttributes.get(CoffeeStatusAttribute)).toBe('PICKED_UP');
    expect((await activityRuns(handle)).map((r) => r.activity)).toEqual(['takeIngredients', 'chargePayment', 'useIngredients', 'sendNotification']);
    // What the Web UI shows besides activities: the barista's and customer's updates, and the timers.
    const { events } = await handle.fetchHistory();
    const updates = (events ?? []).flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? []);
    expect(updates).toEqual(['claimCoffee', 'markCoffeeReady', 'pickUpCoffee']);
    expect((events ?? []).filter((e) => e.timerStartedEventAttributes).length).toBe(2); // claim SLA, pickup
  });

  it('lets exactly one of two baristas claiming at once take the order', async () => {
    const { handle } = await order();
    await queued(handle);

    const claims = await Promise.allSettled([
      handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] }),
      handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ben' }] }),
    ]);

    const won = claims.filter((c) => c.status === 'fulfilled');
    const lost = claims.filter((c) => c.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(WorkflowUpdateFailedError);
    const winner = (won[0] as PromiseFulfilledResult<CoffeeView>).value.barista;
    expect((await handle.query(getCoffeeOrder)).barista).toBe(winner);
    await handle.executeUpdate(reportCoffeeFailure, { args: [{ reason: 'test over' }] });
  });
});

describe('a coffee order that ends early leaves money and ingredients as they were', () => {
  it('cancelled while queued: refunded, ingredients back, CANCELLED', async () => {
    const { input, shelf, handle } = await order();
    await queued(handle);

    const cancelled = await handle.executeUpdate(cancelCoffee);

    expect(cancelled).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' }, failure: { type: 'Cancelled' } });
    expect(cancelled.compensations.map((c) => c.name)).toEqual(['refundPayment', 'returnIngredients']);
    expect(await shelfOf(services)).toEqual(shelf);
    expect((await services.gateway.paymentsForOrder(input.orderId))[0]?.status).toBe('REFUNDED');
    expect((await services.notificationOutbox.sentTo(input.customerName)).map((n) => n.template)).toEqual(['coffee-cancelled']);
  });

  it('cancelled from the Temporal UI or CLI follows the customer\'s rules: undone while queued, refused once a barista is making it', async () => {
    const queuedOrder = await order();
    await queued(queuedOrder.handle);
    await queuedOrder.handle.cancel();
    expect(await queuedOrder.handle.result()).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' }, failure: { message: 'cancelled by an operator' } });
    expect(await shelfOf(services)).toEqual(queuedOrder.shelf);

    const { handle } = await order();
    await queued(handle);
    await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] });
    await handle.cancel();
    await handle.executeUpdate(markCoffeeReady);
    expect((await handle.executeUpdate(pickUpCoffee)).status).toBe('PICKED_UP');
  });

  it('cannot be cancelled once a barista is making it', async () => {
    const { handle } = await order();
    await queued(handle);
    await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] });

    expect(await refusalOf(handle.executeUpdate(cancelCoffee))).toContain('PREPARING');
    expect((await handle.query(getCoffeeOrder)).status).toBe('PREPARING');
    await handle.executeUpdate(markCoffeeReady);
    expect((await handle.executeUpdate(pickUpCoffee)).status).toBe('PICKED_UP');
  });

  it('that the barista cannot make is refunded with its ingredients returned, FAILED', async () => {
    const { input, shelf, handle } = await order();
    await queued(handle);
    await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] });

    const failed = await handle.executeUpdate(reportCoffeeFailure, { args: [{ reason: 'the steam wand broke' }] });

    expect(failed).toMatchObject({ status: 'FAILED', payment: { status: 'REFUNDED' }, failure: { type: 'BaristaFailed', message: 'the steam wand broke' } });
    expect(await shelfOf(services)).toEqual(shelf);
    const told = await services.notificationOutbox.sentTo(input.customerName);
    expect(told).toMatchObject([{ template: 'coffee-failed', data: { orderId: input.orderId, reason: 'the steam wand broke' } }]);
  });

  it('short of an ingredient fails with nothing charged and the shelf unchanged', async () => {
    await stockCafe(services, { milk: 100 });
    const { input, shelf, handle } = await order();

    const failed = await handle.result();

    expect(failed).toMatchObject({ status: 'FAILED', failure: { type: 'OutOfStock' }, payment: { status: 'PENDING' } });
    expect(failed.failure?.message).toContain('milk');
    expect(await services.gateway.paymentsForOrder(input.orderId)).toEqual([]);
    expect(await shelfOf(services)).toEqual(shelf);
    expect(shelf.milk?.available).toBe(100);
  });

  it('with a declined card fails with the ingredients returned and nothing kept', async () => {
    const { input, shelf, handle } = await order({ paymentToken: 'tok_declined' });

    const failed = await handle.result();

    expect(failed).toMatchObject({ status: 'FAILED', failure: { type: 'CardDeclined' }, payment: { status: 'DECLINED' } });
    expect(failed.compensations.map((c) => c.name)).toEqual(['returnIngredients']);
    expect(await services.gateway.paymentsForOrder(input.orderId)).toEqual([]);
    expect(await shelfOf(services)).toEqual(shelf);
    expect((await services.notificationOutbox.sentTo(input.customerName)).map((n) => n.template)).toEqual(['coffee-failed']);
  });
});

describe('a coffee order started with an input that is not one', () => {
  it('fails at once with InvalidInput naming the field, and the shelf is untouched', async () => {
    const input = coffeeInput();
    const shelf = await shelfOf(services);
    const handle = await placeCoffee(temporal.client, worker.taskQueue, { ...input, items: [{ drink: 'mocha' as 'latte', size: 'medium', quantity: 1 }] });

    const failure = await handle.result().then(() => undefined, (err: unknown) => err);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('items[0].drink') });
    expect(await shelfOf(services)).toEqual(shelf);
  });
});
