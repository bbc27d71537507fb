// The order as a kind of workflow: its id, type, status attribute and place in the HTTP API.
import { OrderStatusAttribute } from '../shop';
import { workflowKind } from '../shop/workflow-kind';
import { orderStatuses } from './order';

export const orderKind = workflowKind('order', {
  workflowType: 'orderFulfillment',
  statusAttribute: OrderStatusAttribute,
  statuses: orderStatuses,
  basePath: '/orders',
  noun: 'order',
});
