// The barista queue and board, read from Temporal's visibility (the CoffeeStatus search attribute
// and each order's memo), not from a list kept in this process: every API instance sees the same.
import { type HttpDeps, temporalUiLink } from '../platform/http/deps';
import { withinDeadline } from '../platform/http/temporal-errors';
import { READ_DEADLINE_MS } from '../platform/http/workflow-view';
import { CoffeeStatusAttribute } from '../shop';
import { boardStatuses, type CoffeeStatus, coffeeStatuses } from './coffee';
import { coffeeKind } from './kind';

/** The queue lists at most this many orders: a shop with more has a bigger problem. */
const QUEUE_LIMIT = 200;

/** The running coffee orders in one of the `wanted` statuses, oldest first. */
export function baristaQueue(deps: HttpDeps, wanted: readonly CoffeeStatus[]) {
  const statuses = wanted.map((s) => `'${s}'`).join(', ');
  const query = `WorkflowType = '${coffeeKind.workflowType}' AND ExecutionStatus = 'Running' AND TaskQueue = '${deps.taskQueue}' AND CoffeeStatus IN (${statuses})`;
  return withinDeadline(deps.client, READ_DEADLINE_MS, async () => {
    const queue = [];
    for await (const workflow of deps.client.workflow.list({ query })) {
      const memo = workflow.memo ?? {};
      queue.push({
        orderId: coffeeKind.orderIdOf(workflow.workflowId),
        status: workflow.typedSearchAttributes.get(CoffeeStatusAttribute),
        customerName: memo.customerName,
        items: memo.items,
        barista: memo.barista ?? null,
        orderedAt: workflow.startTime.toISOString(),
        temporalUi: temporalUiLink(deps, workflow.workflowId),
      });
      if (queue.length >= QUEUE_LIMIT) break;
    }
    return queue.sort((a, b) => a.orderedAt.localeCompare(b.orderedAt));
  });
}

/** Whether the board already shows a coffee order's change: at that status or past it, or gone from the board. */
export function boardShows(board: { orders: { orderId?: string; status?: string }[] }, change: { orderId: string; status: string }): boolean {
  const shown = board.orders.find((o) => o.orderId === change.orderId);
  if (!(boardStatuses as readonly string[]).includes(change.status)) return shown === undefined;
  return shown !== undefined && coffeeStatuses.indexOf(shown.status as CoffeeStatus) >= coffeeStatuses.indexOf(change.status as CoffeeStatus);
}
