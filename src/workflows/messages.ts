// Signals, queries and updates of the workflows: imported by the workflows and by the API alike.
// Queries are for people (the CLI, the Web UI); the API reads the view the workflows publish.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CoffeeView, OrderView, ShipmentEvent } from '../domain';

/** The order as it stands: status, money, shipment, steps and compensations. */
export const getOrder = defineQuery<OrderView>('getOrder');

/** The customer asks to cancel. Refused once the shipment has left; answers the settled order. */
export const cancelOrder = defineUpdate<OrderView, [{ reason?: string }]>('cancelOrder');

/**
 * The carrier reports progress of the shipment (its webhook). Refused unless a shipment is booked
 * or on its way; answers once the order has acted on it.
 */
export const reportShipmentEvent = defineUpdate<OrderView, [{ event: ShipmentEvent }]>('reportShipmentEvent');

/** The carrier's event as orders started before `reportShipmentEvent` existed take it. */
export const shipmentEvent = defineSignal<[{ event: ShipmentEvent }]>('shipmentEvent');

/** The coffee order as it stands. */
export const getCoffeeOrder = defineQuery<CoffeeView>('getCoffeeOrder');

/** A barista takes a queued order; refused unless it is QUEUED, so only one barista wins. */
export const claimCoffee = defineUpdate<CoffeeView, [{ barista: string }]>('claimCoffee');

/** The barista has made the drinks; refused unless the order is PREPARING. */
export const markCoffeeReady = defineUpdate<CoffeeView, []>('markCoffeeReady');

/** The barista cannot make the drinks: the customer is refunded. Refused unless PREPARING. */
export const reportCoffeeFailure = defineUpdate<CoffeeView, [{ reason: string }]>('reportCoffeeFailure');

/** The customer has the drinks; refused unless READY. */
export const pickUpCoffee = defineUpdate<CoffeeView, []>('pickUpCoffee');

/** The customer changes their mind; refused once a barista has started. */
export const cancelCoffee = defineUpdate<CoffeeView, []>('cancelCoffee');
