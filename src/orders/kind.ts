// The order as a kind of workflow: its id, type, status attribute and place in the HTTP API.
import { OrderStatusAttribute } from '../shop';
import { workflowKind } from '../shop/workflow-kind';
import { orderStatuses } from './order';

export const orderKind = workflowKind('order', {
  workflowType: 'orderFulfillment',
  statusAttribute: OrderStatusAttribute,
  statuses: orderStatuses,
  paidFor: ['COMPLETED'],
  // Not collected by the carrier within the deadline, an order cancels itself: an hour later it should have.
  overdue: (dispatchDeadlineHours) => ({ hours: dispatchDeadlineHours + 1, statuses: ['RECEIVED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_CREATED'] }),
  basePath: '/orders',
  noun: 'order',
});
