// The coffee order as a kind of workflow: its id, type, status attribute and place in the HTTP API.
import { CoffeeStatusAttribute } from '../shop';
import { workflowKind } from '../shop/workflow-kind';
import { coffeeStatuses } from './coffee';

export const coffeeKind = workflowKind('coffee', {
  workflowType: 'coffeeOrder',
  statusAttribute: CoffeeStatusAttribute,
  statuses: coffeeStatuses,
  basePath: '/coffee/orders',
  noun: 'coffee order',
});
