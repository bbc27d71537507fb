// Reading an order's view: the one its workflow last wrote to its memo, from the server alone.
import { type Client, type WorkflowHandle, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type FailureRecord } from '../../shop';
import type { WorkflowKind } from '../../shop/workflow-kind';
import { onWorkflow, withinDeadline } from './temporal-errors';

/** How long a read may wait for Temporal before the API answers 503. */
export const READ_DEADLINE_MS = 3000;

/** The fields every view has, whichever workflow wrote it. */
export interface View {
  orderId: string;
  status: string;
  failure: FailureRecord | null;
}

/** One order's workflow, as a route addresses it. */
export interface WorkflowOrder {
  kind: WorkflowKind;
  orderId: string;
  handle: WorkflowHandle;
  /** How the API names the order in its answers: `order "A1"`. */
  what: string;
}

export function workflowOrder(client: Client, kind: WorkflowKind, orderId: string): WorkflowOrder {
  return { kind, orderId, handle: client.workflow.getHandle(kind.workflowId(orderId)), what: kind.describe(orderId) };
}

/** How a workflow closed from outside (the CLI, the Web UI) reads: its order was never settled. */
const closedFromOutside: Record<string, string> = { TERMINATED: 'terminated', TIMED_OUT: 'timed out', CANCELLED: 'cancelled' };

/**
 * The order as its workflow last published it, in one DescribeWorkflowExecution. The memo holds
 * only what completed workflow tasks wrote, so the answer needs no worker, takes milliseconds,
 * and cannot make the workflow run ahead of its history as a query can (docs/HOW-IT-WORKS.md, "Known issue: a query can run a workflow ahead of its history").
 * Nothing is decided from it: the workflow's Update validators decide.
 */
export async function readView<V extends View>(order: WorkflowOrder): Promise<V> {
  const { handle } = order;
  const described = await onWorkflow(order.what, () => withinDeadline(handle.client, READ_DEADLINE_MS, () => handle.describe()));
  const running = described.status.name === 'RUNNING';
  const view =
    (described.memo?.view as V | undefined) ??
    (running ? undefined : await withinDeadline(handle.client, READ_DEADLINE_MS, () => endingView<V>(handle))) ??
    statusOnly<V>(order.orderId, described.typedSearchAttributes.get(order.kind.statusAttribute));
  const how = closedFromOutside[described.status.name];
  if (!how || view.status === 'NEEDS_ATTENTION') return view;
  // Stock or money may still be held for it, and no compensation will run: a person must settle it.
  return { ...view, status: 'NEEDS_ATTENTION', failure: { type: 'WorkflowClosed', message: `its workflow was ${how} before the order ended` } };
}

/**
 * A workflow that ended before workflows published their view: its result, or for one that needs
 * attention its failure's details, read from the history (no worker, no replay).
 */
async function endingView<V>(handle: WorkflowHandle): Promise<V | undefined> {
  try {
    return (await handle.result()) as V;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const failure = err.cause;
    return failure instanceof ApplicationFailure && failure.details?.length ? (failure.details[0] as V) : undefined;
  }
}

/** A workflow started without a view (by the CLI, say) that has published none yet: its status alone. */
function statusOnly<V extends View>(orderId: string, status: string | undefined): V {
  return { orderId, status: status ?? 'RECEIVED', failure: null } as V;
}
