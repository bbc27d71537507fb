// The order workflow's signals, queries and updates: imported by the workflow and by the API alike.
// Queries are for people (the CLI, the Web UI); the API reads the view the workflow publishes.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderView, ShipmentEvent } from './order';

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
