// The coffee-order saga: set the ingredients aside → take payment → queue for a barista →
// preparing → ready → picked up. Until the drinks are made, a short ingredient, a declined
// card, the barista's failure or a cancel gives back what was taken, newest first.
import { ApplicationFailure, CancellationScope, condition, setHandler } from '@temporalio/workflow';
import { type CoffeeInput, type CoffeeView, coffeeInputSchema, ingredientsFor } from '../domain';
import { idempotencyKey as key, notify, runToEnding, settle, steps, validInput } from './common';
import { type CoffeeAction, CoffeeRecord } from './coffee-record';
import { describeFailure } from './journal';
import { cancelCoffee, claimCoffee, getCoffeeOrder, markCoffeeReady, pickUpCoffee, reportCoffeeFailure } from './messages';
import { Compensations } from './saga';

export const SHIFT_MANAGER = 'shift-manager';

export async function coffeeOrder(rawInput: CoffeeInput): Promise<CoffeeView> {
  const order = new CoffeeRecord(validInput(coffeeInputSchema, rawInput));
  listenForMessages(order);
  // A cancel from the Web UI or CLI is the customer's cancel, allowed until the drinks are made.
  CancellationScope.current().cancelRequested.catch(() => {
    if (order.status === 'READY' || order.isFinal || order.unwinding) return;
    order.failure = { type: 'Cancelled', message: 'cancelled by an operator' };
    order.pending = 'cancel';
  });

  return runToEnding(order, async () => {
    const made = await makeDrinks(order);
    if (made) await handOver(order);
  });
}

/** From the order to drinks on the counter. False when it was undone instead. */
async function makeDrinks(order: CoffeeRecord): Promise<boolean> {
  const { orderId, items, paymentToken } = order.input;
  const saga = new Compensations();
  try {
    // Ingredients first: a drink that cannot be made is never charged for.
    const ingredients = await order.journal.step('takeIngredients', () =>
      steps.takeIngredients({ idempotencyKey: key('take-ingredients'), orderId, items: ingredientsFor(items) }),
    );
    saga.add('returnIngredients', () =>
      settle.returnIngredients({ idempotencyKey: key('return-ingredients'), reservationId: ingredients.reservationId }),
    );
    stopIfCancelled(order);

    const payment = await order.journal.step('chargePayment', () =>
      steps.chargePayment({ idempotencyKey: key('charge-payment'), orderId, token: paymentToken, amountCents: order.priced.totalCents }),
    );
    saga.add('refundPayment', async () => {
      await settle.refundPayment({ idempotencyKey: key('refund-payment'), paymentId: payment.paymentId });
      order.setPayment('REFUNDED');
    });
    order.setPayment('CAPTURED', payment.paymentId);
    order.moveTo('PAID');
    stopIfCancelled(order);

    order.moveTo('QUEUED');
    await waitForBarista(order);
    await order.until(() => order.pending !== null);
    if (order.pending !== 'ready') throw stopped(order);

    await order.journal.step('useIngredients', () =>
      settle.useIngredients({ idempotencyKey: key('use-ingredients'), reservationId: ingredients.reservationId }),
    );
    // READY means the customer has been told: the message is queued before the status shows.
    await notify(order.journal, order.input.customerName, 'coffee-ready', { orderId });
    order.pending = null;
    order.moveTo('READY');
    return true;
  } catch (err) {
    order.unwinding = true;
    order.failure ??= describeFailure(err);
    if (order.failure.type === 'CardDeclined' || order.failure.type === 'InsufficientFunds') order.setPayment('DECLINED');
    const undone = await saga.unwind(order.journal);
    if (!undone) order.failure = order.journal.compensationFailure();
    order.moveTo(!undone ? 'NEEDS_ATTENTION' : order.pending === 'cancel' ? 'CANCELLED' : 'FAILED');
    return false;
  }
}

/**
 * Waits in the queue until a barista claims the order (or it is cancelled). If none has after
 * the service-level time, the shift manager hears of it once, and the order keeps its place.
 */
async function waitForBarista(order: CoffeeRecord): Promise<void> {
  const claimedOrCancelled = () => order.status !== 'QUEUED' || order.pending !== null;
  try {
    if (await order.until(claimedOrCancelled, order.input.claimSlaSeconds * 1000)) return;
    await notify(order.journal, SHIFT_MANAGER, 'coffee-unclaimed', {
      orderId: order.input.orderId,
      customerName: order.input.customerName,
      waitingSeconds: order.input.claimSlaSeconds,
    });
    await order.until(claimedOrCancelled);
  } finally {
    order.leftQueue = true;
  }
}

/** The drinks are on the counter: picked up, or abandoned when the pickup timer runs out. */
async function handOver(order: CoffeeRecord): Promise<void> {
  const pickedUp = await order.until(() => order.pending === 'pickUp', order.input.pickupTimeoutSeconds * 1000);
  order.pending = null;
  order.moveTo(pickedUp ? 'PICKED_UP' : 'ABANDONED');
}

function stopIfCancelled(order: CoffeeRecord): void {
  if (order.pending === 'cancel') throw stopped(order);
}

function stopped(order: CoffeeRecord): ApplicationFailure {
  return order.pending === 'fail'
    ? ApplicationFailure.nonRetryable(order.failure?.message ?? 'the barista could not make it', 'BaristaFailed')
    : ApplicationFailure.nonRetryable('the order was cancelled', 'Cancelled');
}

function listenForMessages(order: CoffeeRecord): void {
  setHandler(getCoffeeOrder, () => order.view());

  const refuseUnless = (action: CoffeeAction) => (..._request: unknown[]) => {
    const refusal = order.refusal(action);
    if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'InvalidState');
  };

  // Claiming changes the status at once, so a second barista's validator already sees PREPARING.
  // Every handler answers once the main workflow has acted on its request (here: left the queue,
  // its timer cancelled), so where the answer falls among the workflow's commands depends on the
  // workflow, never on how many microtasks each side takes.
  setHandler(claimCoffee, async ({ barista }) => {
    order.claimBy(barista);
    await condition(() => order.leftQueue);
    return order.view();
  }, { validator: refuseUnless('claim') });

  setHandler(markCoffeeReady, async () => {
    order.pending = 'ready';
    await condition(() => order.status !== 'PREPARING');
    return order.view();
  }, { validator: refuseUnless('ready') });

  setHandler(reportCoffeeFailure, async ({ reason }) => {
    order.failure = { type: 'BaristaFailed', message: reason };
    order.pending = 'fail';
    await condition(() => order.isFinal);
    return order.view();
  }, { validator: refuseUnless('fail') });

  setHandler(pickUpCoffee, async () => {
    order.pending = 'pickUp';
    await condition(() => order.isFinal);
    return order.view();
  }, { validator: refuseUnless('pickUp') });

  setHandler(cancelCoffee, async () => {
    order.failure ??= { type: 'Cancelled', message: 'cancelled by the customer' };
    order.pending = 'cancel';
    await condition(() => order.isFinal);
    return order.view();
  }, { validator: refuseUnless('cancel') });
}
