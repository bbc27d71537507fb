// The coffee order as a kind of workflow: its id, type, status attribute and place in the HTTP API.
import { CoffeeStatusAttribute } from '../shop';
import { workflowKind } from '../shop/workflow-kind';
import { coffeeStatuses } from './coffee';

export const coffeeKind = workflowKind('coffee', {
  workflowType: 'coffeeOrder',
  statusAttribute: CoffeeStatusAttribute,
  statuses: coffeeStatuses,
  // A drink left on the counter is ABANDONED, paid for and made.
  paidFor: ['PICKED_UP', 'ABANDONED'],
  // Its timers (the barista's service time, the pickup time) are minutes: a day is past all of them.
  overdue: () => ({ hours: 24 }),
  basePath: '/coffee/orders',
  noun: 'coffee order',
});
