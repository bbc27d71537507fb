// The order-fulfillment saga: reserve stock → authorize payment → book shipment → capture on
// dispatch → delivered. Until dispatch, any failure or a cancel undoes the completed steps in
// reverse; after dispatch the goods are gone, so the order can only be finished.
import { log, setHandler, setWorkflowOptions } from '@temporalio/workflow';
import { refuse, validInput } from '../saga/guards';
import { describeFailure } from '../saga/journal';
import { hasPatch, patches } from '../saga/patches';
import { listenForPaymentEvents } from '../saga/payment-events';
import { forwardOrUndo, runToEnding } from '../saga/saga-run';
import { checkOrderInput } from './input-check';
import { cancelOrder, getOrder, reportShipmentEvent, shipmentEvent } from './messages';
import { type OrderInput, type OrderView } from './order';
import { OrderRecord } from './order-record';

/**
 * An order runs to its end on the worker version it started on (docs/OPERATIONS.md, "Deploying a change"):
 * a new version may change these steps without a patch; orders already running never see it.
 */
setWorkflowOptions({ versioningBehavior: 'PINNED' }, orderFulfillment);
export async function orderFulfillment(rawInput: OrderInput): Promise<OrderView> {
  const order = new OrderRecord(validInput(checkOrderInput, rawInput));
  listenForMessages(order);
  return runToEnding(order, async () => {
    const handedToCarrier = await forwardOrUndo(order, () => untilDispatched(order));
    if (handedToCarrier) await afterDispatch(order);
  });
}

/** Reserve, authorize, book, and wait for the carrier to collect the parcel. */
async function untilDispatched(order: OrderRecord): Promise<void> {
  const { orderId, items, paymentToken, shippingAddress } = order.input;
  const reservation = await order.step('reserveInventory', { orderId, items });
  order.onUndo('releaseInventory', { reservationId: reservation.reservationId });
  order.reserved(reservation);
  order.stopIfAsked();

  const payment = await order.step('authorizePayment', { orderId, token: paymentToken, amountCents: reservation.totalCents });
  order.onUndo('voidAuthorization', { paymentId: payment.paymentId }, () => order.setPayment('VOIDED'));
  order.setPayment('AUTHORIZED', payment.paymentId);
  order.moveTo('PAYMENT_AUTHORIZED');
  await order.tellCustomer('order-accepted', { totalCents: reservation.totalCents });
  order.stopIfAsked();

  const shipment = await order.step('createShipment', { orderId, address: shippingAddress, items });
  order.onUndo('cancelShipment', { shipmentId: shipment.shipmentId }, () => order.markShipment('CANCELLED'));
  order.shipment = { shipmentId: shipment.shipmentId, trackingNumber: shipment.trackingNumber, status: 'CREATED' };
  order.moveTo('SHIPMENT_CREATED');

  // Added while orders were running: older ones wait for the carrier without a deadline.
  if (hasPatch(patches.dispatchDeadline)) await waitForCarrierUntilDeadline(order);
  else await order.until(() => order.dispatched || order.stopRequested);
  order.stopIfAsked();
}

/**
 * The carrier has until the shop's deadline to collect the parcel. After it the payment's
 * authorization would soon expire, so the order is cancelled like a customer's cancel: every
 * step undone, and the customer told why.
 */
async function waitForCarrierUntilDeadline(order: OrderRecord): Promise<void> {
  const hours = order.input.dispatchDeadlineHours;
  if (await order.until(() => order.dispatched || order.stopRequested, hours * 3_600_000)) return;
  order.requestStop({ type: 'Cancelled', message: `not dispatched within ${hours} hours` });
}

/** The goods have left: take the money, account for the stock, wait for delivery. */
async function afterDispatch(order: OrderRecord): Promise<void> {
  const { paymentId } = order.payment;
  try {
    order.moveTo('DISPATCHED');
    await order.stepThatMustComplete('capturePayment', { paymentId: paymentId! });
    order.setPayment('CAPTURED');
    await order.stepThatMustComplete('shipInventory', { reservationId: order.reservationId! });
    await order.tellCustomer('order-dispatched', { trackingNumber: order.shipment?.trackingNumber });
    await order.until(() => order.delivered);
    order.markShipment('DELIVERED');
    // Added while orders were running. Replaying an order that passed this point before the
    // change, patched() answers false and the order completes as it did; new orders send the
    // message. See docs/OPERATIONS.md, "Deploying a change".
    if (hasPatch(patches.notifyOnDelivery)) await order.tellCustomer('order-delivered', { trackingNumber: order.shipment?.trackingNumber });
    order.moveTo('COMPLETED');
  } catch (err) {
    // Nothing can be undone once the parcel is on its way: a person settles it with the customer.
    order.failure = describeFailure(err);
    order.moveTo('NEEDS_ATTENTION');
  }
}

function listenForMessages(order: OrderRecord): void {
  setHandler(getOrder, () => order.view());
  listenForPaymentEvents(order);

  setHandler(cancelOrder, ({ reason }) => order.cancelAndSettle(reason), { validator: (_request) => refuse(order.cancelRefusal()) });

  // The carrier's webhook. The validator refuses an event for an order with no parcel on its way.
  setHandler(
    reportShipmentEvent,
    ({ event }) => {
      order.carrierReported(event);
      return order.answerOnceSettled(() => order.hasActedOn(event));
    },
    { validator: (_request) => refuse(order.shipmentEventRefusal()) },
  );

  // Orders started before the carrier's event became an Update were sent it as a signal.
  setHandler(shipmentEvent, ({ event }) => {
    if (order.stopRequested || order.isFinal) {
      log.warn('carrier event for an order that is no longer shipping', { event, status: order.status });
      return;
    }
    order.carrierReported(event);
  });
}
