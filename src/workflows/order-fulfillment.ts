// The order-fulfillment saga: reserve stock → authorize payment → book shipment → capture on
// dispatch → delivered. Until dispatch, any failure or a cancellation undoes the completed
// steps in reverse; after dispatch the goods are gone, so the order can only be finished.
import { ApplicationFailure, CancellationScope, condition, log, patched, setHandler } from '@temporalio/workflow';
import { type OrderInput, type OrderView, orderInputSchema } from '../domain';
import { idempotencyKey as key, notify as notifyTo, runToEnding, settle, steps, validInput } from './common';
import { describeFailure } from './journal';
import { cancelOrder, getOrder, reportShipmentEvent, shipmentEvent } from './messages';
import { OrderRecord } from './order-record';
import { Compensations } from './saga';

export async function orderFulfillment(rawInput: OrderInput): Promise<OrderView> {
  const order = new OrderRecord(validInput(orderInputSchema, rawInput));
  listenForMessages(order);
  // A cancel from the Web UI or CLI takes the same path as the customer's cancel: the current
  // step finishes (so nothing it did goes unrecorded), then the saga unwinds.
  CancellationScope.current().cancelRequested.catch(() => {
    if (order.cancelRequested || order.cancelRefusal()) return;
    order.failure = { type: 'Cancelled', message: 'cancelled by an operator' };
    order.cancelRequested = true;
  });

  return runToEnding(order, async () => {
    const handedToCarrier = await fulfilUntilDispatch(order);
    if (handedToCarrier) await finishAfterDispatch(order);
  });
}

/** Reserve, authorize, book, and wait for the carrier. False when the order was unwound. */
async function fulfilUntilDispatch(order: OrderRecord): Promise<boolean> {
  const { orderId, items, paymentToken, shippingAddress } = order.input;
  const saga = new Compensations();
  try {
    const reservation = await order.journal.step('reserveInventory', () =>
      steps.reserveInventory({ idempotencyKey: key('reserve-inventory'), orderId, items }),
    );
    saga.add('releaseInventory', () =>
      settle.releaseInventory({ idempotencyKey: key('release-inventory'), reservationId: reservation.reservationId }),
    );
    order.reservationId = reservation.reservationId;
    order.totalCents = reservation.totalCents;
    order.unitPrices = new Map(reservation.lines.map((l) => [l.sku, l.unitPriceCents]));
    order.moveTo('INVENTORY_RESERVED');
    stopIfCancelled(order);

    const payment = await order.journal.step('authorizePayment', () =>
      steps.authorizePayment({ idempotencyKey: key('authorize-payment'), orderId, token: paymentToken, amountCents: reservation.totalCents }),
    );
    saga.add('voidAuthorization', async () => {
      await settle.voidAuthorization({ idempotencyKey: key('void-authorization'), paymentId: payment.paymentId });
      order.setPayment('VOIDED');
    });
    order.setPayment('AUTHORIZED', payment.paymentId);
    order.moveTo('PAYMENT_AUTHORIZED');
    await notify(order, 'order-accepted', { totalCents: reservation.totalCents });
    stopIfCancelled(order);

    const shipment = await order.journal.step('createShipment', () =>
      steps.createShipment({ idempotencyKey: key('create-shipment'), orderId, address: shippingAddress, items }),
    );
    saga.add('cancelShipment', async () => {
      await settle.cancelShipment({ idempotencyKey: key('cancel-shipment'), shipmentId: shipment.shipmentId });
      if (order.shipment) order.shipment.status = 'CANCELLED';
    });
    order.shipment = { shipmentId: shipment.shipmentId, trackingNumber: shipment.trackingNumber, status: 'CREATED' };
    order.moveTo('SHIPMENT_CREATED');

    // Added while orders were running: older ones wait for the carrier without a deadline.
    if (patched('dispatch-deadline')) await waitForCarrierUntilDeadline(order);
    else await order.until(() => order.dispatched || order.cancelRequested);
    stopIfCancelled(order);
    return true;
  } catch (err) {
    order.unwinding = true;
    if (!order.cancelRequested) {
      order.failure = describeFailure(err);
      if (order.failure.type === 'CardDeclined' || order.failure.type === 'InsufficientFunds') order.setPayment('DECLINED');
    }
    const undone = await saga.unwind(order.journal);
    if (!undone) order.failure = order.journal.compensationFailure();
    // The customer's message goes out before the order counts as settled, so whoever waits for
    // the ending (the cancel update) sees everything done.
    await notify(order, order.cancelRequested ? 'order-cancelled' : 'order-failed', { reason: order.failure?.message });
    order.moveTo(!undone ? 'NEEDS_ATTENTION' : order.cancelRequested ? 'CANCELLED' : 'FAILED');
    return false;
  }
}

/**
 * The carrier has until the shop's deadline to collect the parcel. After it the payment's
 * authorization would soon expire, so the order is cancelled like a customer's cancel: every
 * step undone, and the customer told why.
 */
async function waitForCarrierUntilDeadline(order: OrderRecord): Promise<void> {
  const hours = order.input.dispatchDeadlineHours;
  if (await order.until(() => order.dispatched || order.cancelRequested, hours * 3_600_000)) return;
  order.failure = { type: 'Cancelled', message: `not dispatched within ${hours} hours` };
  order.cancelRequested = true;
}

/** The goods have left: take the money, account for the stock, wait for delivery. */
async function finishAfterDispatch(order: OrderRecord): Promise<void> {
  const { paymentId } = order.payment;
  try {
    order.moveTo('DISPATCHED');
    await order.journal.step('capturePayment', () =>
      settle.capturePayment({ idempotencyKey: key('capture-payment'), paymentId: paymentId! }),
    );
    order.setPayment('CAPTURED');
    await order.journal.step('shipInventory', () =>
      settle.shipInventory({ idempotencyKey: key('ship-inventory'), reservationId: order.reservationId! }),
    );
    await notify(order, 'order-dispatched', { trackingNumber: order.shipment?.trackingNumber });
    await order.until(() => order.delivered);
    if (order.shipment) order.shipment.status = 'DELIVERED';
    // Added while orders were running. Replaying an order that passed this point before the
    // change, patched() answers false and the order completes as it did; new orders send the
    // message. See README, "Changing a workflow safely".
    if (patched('notify-on-delivery')) await notify(order, 'order-delivered', { trackingNumber: order.shipment?.trackingNumber });
    order.moveTo('COMPLETED');
  } catch (err) {
    // Nothing can be undone once the parcel is on its way: a person settles it with the customer.
    order.failure = describeFailure(err);
    order.moveTo('NEEDS_ATTENTION');
  }
}

function listenForMessages(order: OrderRecord): void {
  setHandler(getOrder, () => order.view());

  setHandler(
    cancelOrder,
    async ({ reason }) => {
      if (!order.cancelRequested) order.failure = { type: 'Cancelled', message: reason ?? 'cancelled by the customer' };
      order.cancelRequested = true;
      await condition(() => order.isFinal);
      return order.view();
    },
    {
      validator: (_request) => {
        const refusal = order.cancelRefusal();
        if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'InvalidState');
      },
    },
  );

  // The carrier's webhook. The validator refuses an event for an order with no parcel on its way;
  // the answer comes once the main workflow has acted on it, so where the answer falls among the
  // workflow's commands depends on the workflow, never on how many microtasks each side takes.
  setHandler(
    reportShipmentEvent,
    async ({ event }) => {
      order.carrierReported(event);
      await condition(() => order.tookIn(event));
      return order.view();
    },
    {
      validator: (_request) => {
        const refusal = order.shipmentEventRefusal();
        if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'InvalidState');
      },
    },
  );

  // Orders started before the carrier's event became an Update were sent it as a signal.
  setHandler(shipmentEvent, ({ event }) => {
    if (order.cancelRequested || order.isFinal) {
      log.warn('carrier event for an order that is no longer shipping', { event, status: order.status });
      return;
    }
    order.carrierReported(event);
  });
}

function stopIfCancelled(order: OrderRecord): void {
  if (order.cancelRequested) throw ApplicationFailure.nonRetryable('the order was cancelled', 'Cancelled');
}

function notify(order: OrderRecord, template: string, data: Record<string, unknown>): Promise<void> {
  return notifyTo(order.journal, order.input.email, template, { orderId: order.input.orderId, ...data });
}
