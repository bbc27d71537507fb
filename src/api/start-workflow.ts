// Starting a workflow so that a repeated request meets the one it started, never a second one.
import { type Client, type WorkflowHandle, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { OrderStatusAttribute } from '../domain';
import { fingerprint } from '../services/idempotency';
import { type ApiDeps, temporalUiLink } from './deps';
import { HttpProblem } from './problem';

export interface IdempotentStart {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: unknown[];
  /** The request as the client sent it: a repeat must send the same. */
  request: unknown;
  /** The order's view as placed: the workflow publishes each next one in the same memo field. */
  view: unknown;
  /** What lists of workflows should show without asking each one. */
  memo?: Record<string, unknown>;
  searchAttributes: SearchAttributePair[];
  /** The keyword search attribute that holds the workflow's status. */
  statusAttribute: typeof OrderStatusAttribute;
}

export interface Started {
  handle: WorkflowHandle;
  /** False when this request repeated one that had already started the workflow. */
  created: boolean;
  /** The status the workflow last published, when `created` is false. */
  existingStatus?: string;
}

/**
 * The workflow id comes from the client's idempotency key. With the FAIL conflict policy and
 * REJECT_DUPLICATE reuse policy the server lets exactly one start win, whether the first is
 * still running or long finished; the losers learn the id is taken and meet that workflow.
 * The request's fingerprint travels in the memo, so a key reused with another body is refused.
 */
export async function startOnce(client: Client, start: IdempotentStart): Promise<Started> {
  // The client retries while Temporal is unavailable; past this, the caller gets a 503 and may retry.
  return client.withDeadline(Date.now() + START_DEADLINE_MS, () => startOrMeet(client, start));
}

/** How long a start (and the look-up of an existing workflow) may take before the API gives up. */
const START_DEADLINE_MS = 5000;

async function startOrMeet(client: Client, start: IdempotentStart): Promise<Started> {
  const requestHash = fingerprint(start.request);
  try {
    const handle = await client.workflow.start(start.workflowType, {
      workflowId: start.workflowId,
      taskQueue: start.taskQueue,
      args: start.args,
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { ...start.memo, view: start.view, requestHash },
      typedSearchAttributes: start.searchAttributes,
    });
    return { handle, created: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const handle = client.workflow.getHandle(start.workflowId);
  const description = await handle.describe();
  if (description.memo?.requestHash !== requestHash) {
    throw new HttpProblem(422, 'Idempotency key reused', `Idempotency-Key was already used with a different request body`, [
      { field: 'Idempotency-Key', message: 'already used with a different request body' },
    ]);
  }
  return { handle, created: false, existingStatus: description.typedSearchAttributes.get(start.statusAttribute) };
}

/** The 202 body both kinds of order answer: the order, its workflow, its status, where to look. */
export function acceptedOrder(deps: ApiDeps, started: Started, ids: { orderId: string; workflowId: string; self: string }) {
  return {
    orderId: ids.orderId,
    workflowId: ids.workflowId,
    status: started.existingStatus ?? 'RECEIVED',
    links: { self: ids.self, temporalUi: temporalUiLink(deps, ids.workflowId) },
  };
}
