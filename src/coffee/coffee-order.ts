// The coffee-order saga: set the ingredients aside → take payment → queue for a barista →
// preparing → ready → picked up. Until the drinks are made, a short ingredient, a declined
// card, the barista's failure or a cancel gives back what was taken, newest first.
import { setHandler, setWorkflowOptions } from '@temporalio/workflow';
import { refuse, validInput } from '../saga/guards';
import { listenForPaymentEvents } from '../saga/payment-events';
import { forwardOrUndo, runToEnding } from '../saga/saga-run';
import { SHIFT_MANAGER } from '../shop';
import { type CoffeeInput, type CoffeeView, ingredientsFor } from './coffee';
import { type CoffeeAction, CoffeeRecord } from './coffee-record';
import { checkCoffeeInput } from './input-check';
import { cancelCoffee, claimCoffee, getCoffeeOrder, markCoffeeReady, pickUpCoffee, reportCoffeeFailure } from './messages';

/** Like an order, a coffee order finishes on the worker version it started on. */
setWorkflowOptions({ versioningBehavior: 'PINNED' }, coffeeOrder);
export async function coffeeOrder(rawInput: CoffeeInput): Promise<CoffeeView> {
  const order = new CoffeeRecord(validInput(checkCoffeeInput, rawInput));
  listenForMessages(order);
  return runToEnding(order, async () => {
    const made = await forwardOrUndo(order, () => makeDrinks(order));
    if (made) await handOver(order);
  });
}

/** From the order to drinks on the counter. */
async function makeDrinks(order: CoffeeRecord): Promise<void> {
  const { orderId, items, paymentToken } = order.input;
  // Ingredients first: a drink that cannot be made is never charged for.
  const ingredients = await order.step('takeIngredients', { orderId, items: ingredientsFor(items) });
  order.onUndo('returnIngredients', { reservationId: ingredients.reservationId });
  order.stopIfAsked();

  const payment = await order.step('chargePayment', { orderId, token: paymentToken, amountCents: order.priced.totalCents });
  order.onUndo('refundPayment', { paymentId: payment.paymentId }, () => order.setPayment('REFUNDED'));
  order.setPayment('CAPTURED', payment.paymentId);
  order.moveTo('PAID');
  order.stopIfAsked();

  order.moveTo('QUEUED');
  await waitForBarista(order);
  await order.until(() => order.acceptedAction === 'ready' || order.stopRequested);
  order.stopIfAsked();

  await order.stepThatMustComplete('useIngredients', { reservationId: ingredients.reservationId });
  // READY means the customer has been told: the message is queued before the status shows.
  await order.tellCustomer('coffee-ready');
  order.acceptedAction = null;
  order.moveTo('READY');
}

/**
 * Waits in the queue until a barista claims the order (or it is cancelled). If none has after
 * the service-level time, the shift manager hears of it once, and the order keeps its place.
 */
async function waitForBarista(order: CoffeeRecord): Promise<void> {
  const claimedOrCancelled = () => order.status !== 'QUEUED' || order.stopRequested;
  try {
    if (await order.until(claimedOrCancelled, order.input.claimSlaSeconds * 1000)) return;
    const { orderId, customerName, claimSlaSeconds } = order.input;
    await order.notifications.send(SHIFT_MANAGER, 'coffee-unclaimed', { orderId, customerName, waitingSeconds: claimSlaSeconds });
    await order.until(claimedOrCancelled);
  } finally {
    order.queueWaitOver = true;
  }
}

/** The drinks are on the counter: picked up, or abandoned when the pickup timer runs out. */
async function handOver(order: CoffeeRecord): Promise<void> {
  const pickedUp = await order.until(() => order.acceptedAction === 'pickUp', order.input.pickupTimeoutSeconds * 1000);
  order.acceptedAction = null;
  order.moveTo(pickedUp ? 'PICKED_UP' : 'ABANDONED');
}

/**
 * Each action is an Update its validator may refuse, answered once the main workflow has acted
 * on it (the claim: once the order has left the queue, its timer cancelled). Claiming changes
 * the status at once, so a second barista's validator already sees PREPARING.
 */
function listenForMessages(order: CoffeeRecord): void {
  setHandler(getCoffeeOrder, () => order.view());
  listenForPaymentEvents(order);
  const allowed = (action: CoffeeAction) => ({ validator: (..._request: unknown[]) => refuse(order.refusal(action)) });

  setHandler(claimCoffee, ({ barista }) => {
    order.claimBy(barista);
    return order.answerOnceSettled(() => order.queueWaitOver);
  }, allowed('claim'));

  setHandler(markCoffeeReady, () => {
    order.acceptedAction = 'ready';
    return order.answerOnceSettled(() => order.status !== 'PREPARING');
  }, allowed('ready'));

  setHandler(reportCoffeeFailure, ({ reason }) => {
    order.requestStop({ type: 'BaristaFailed', message: reason });
    return order.answerOnceSettled(() => order.isFinal);
  }, allowed('fail'));

  setHandler(pickUpCoffee, () => {
    order.acceptedAction = 'pickUp';
    return order.answerOnceSettled(() => order.isFinal);
  }, allowed('pickUp'));

  setHandler(cancelCoffee, () => order.cancelAndSettle(), allowed('cancel'));
}
