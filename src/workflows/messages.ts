// Signals, queries and updates of the workflows: imported by the workflows and by the API alike.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderView, ShipmentEvent } from '../domain';

/** The order as it stands: status, money, shipment, steps and compensations. */
export const getOrder = defineQuery<OrderView>('getOrder');

/** The customer asks to cancel. Refused once the shipment has left; answers the settled order. */
export const cancelOrder = defineUpdate<OrderView, [{ reason?: string }]>('cancelOrder');

/** The carrier reports progress of the shipment (its webhook). */
export const shipmentEvent = defineSignal<[{ event: ShipmentEvent }]>('shipmentEvent');
