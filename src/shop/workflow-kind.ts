// What makes a kind of order (an order, a coffee order): its id made from the order's id and back,
// its workflow type, where it keeps its status, its place in the HTTP API. Each kind declares
// itself in its folder (src/orders/kind.ts); src/main/kinds.ts lists them for the API, the
// metrics and the logs. (Not exported from ./index: the workflow sandbox needs none of this.)
import type { OrderStatusAttribute } from './search-attributes';
import type { KindName } from './shop';

export interface WorkflowKind<Type extends string = string> {
  /** The kind's label in metrics and logs. */
  name: KindName;
  /** The name workers register the workflow function under. */
  workflowType: Type;
  /** The keyword search attribute the workflow keeps its status in. */
  statusAttribute: typeof OrderStatusAttribute;
  statuses: readonly string[];
  /** The endings in which the customer paid and had what they paid for: money captured then is right. */
  paidFor: readonly string[];
  /**
   * When an open workflow of this kind is past the deadlines it keeps itself: open longer than
   * `hours` (given the shop's dispatch deadline) in one of `statuses` (any status when none given).
   */
  overdue(dispatchDeadlineHours: number): { hours: number; statuses?: readonly string[] };
  /** Where its orders live in the HTTP API: `/orders`, `/coffee/orders`. */
  basePath: string;
  /** Where one order lives in the HTTP API: `/orders/A1`. */
  orderPath(orderId: string): string;
  /** What people call one: `order`, `coffee order`. */
  noun: string;
  /** How the API names one in its answers: `order "A1"`. */
  describe(orderId: string): string;
  /** The workflow id is the order's id with the kind's prefix, so one order is one workflow. */
  workflowId(orderId: string): string;
  /** The order id in a workflow id of this kind, if it is one. */
  orderIdOf(workflowId: string): string | undefined;
}

export function workflowKind<Type extends string>(name: WorkflowKind['name'], parts: Omit<WorkflowKind<Type>, 'name' | 'orderPath' | 'describe' | 'workflowId' | 'orderIdOf'>): WorkflowKind<Type> {
  const prefix = `${name}-`;
  return {
    name,
    ...parts,
    orderPath: (orderId) => `${parts.basePath}/${orderId}`,
    describe: (orderId) => `${parts.noun} "${orderId}"`,
    workflowId: (orderId) => `${prefix}${orderId}`,
    orderIdOf: (workflowId) => (workflowId.startsWith(prefix) ? workflowId.slice(prefix.length) : undefined),
  };
}

/** The kind and order a request path concerns (`/coffee/orders/A1/claim` → coffee, A1), if any. */
export function orderOfPath(kinds: readonly WorkflowKind[], path: string): { kind: WorkflowKind; orderId: string } | undefined {
  for (const k of kinds) {
    const rest = path.startsWith(`${k.basePath}/`) ? path.slice(k.basePath.length + 1) : undefined;
    const orderId = rest?.split('/')[0];
    if (orderId) return { kind: k, orderId };
  }
  return undefined;
}
