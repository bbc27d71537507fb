// Starting an order's workflow so that a repeated request meets the one it started, never a second one.
import { type Workflow, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Response } from 'express';
import type { KindName } from '../../shop';
import type { WorkflowKind } from '../../shop/workflow-kind';
import { fingerprint } from '../fingerprint';
import { type HttpDeps, temporalUiLink } from './deps';
import { HttpProblem } from './problem';

export interface OrderStart<W extends Workflow> {
  orderId: string;
  /** The workflow's arguments, checked against the workflow function's own parameters. */
  args: Parameters<W>;
  /** The request as the client sent it: a repeat must send the same. */
  request: unknown;
  /** The order's view as placed: the workflow publishes each next one in the same memo field. */
  view: unknown;
  /** What lists of workflows should show without asking each one. */
  memo?: Record<string, unknown>;
  /**
   * What the Web UI shows for the workflow: a one-line summary and details (Temporal markdown).
   * They are payloads like any other, so the codec seals them: staff read them decoded.
   */
  summary: string;
  details: string;
  /** Set here as well as by the workflow, so lists and the queue show the order before any worker runs. */
  searchAttributes: SearchAttributePair[];
}

interface Started {
  /** False when this request repeated one that had already started the workflow. */
  created: boolean;
  /** The status the workflow last published, when `created` is false. */
  existingStatus?: string;
}

/**
 * Places an order: starts its workflow once, counts it, and answers 202 with where to follow it.
 * `W` is the workflow function's type (imported with `import type`), so a wrong input does not compile.
 */
export async function startOrderOnce<W extends Workflow>(
  res: Response,
  deps: HttpDeps,
  started: (kind: KindName) => void,
  kind: WorkflowKind,
  start: OrderStart<W>,
): Promise<void> {
  const result = await startOnce(deps, kind, start);
  if (result.created) started(kind.name);
  const { orderId } = start;
  const workflowId = kind.workflowId(orderId);
  res.locals.order = { kind, orderId };
  res.status(202).json({
    orderId,
    workflowId,
    status: result.existingStatus ?? 'RECEIVED',
    links: { self: kind.orderPath(orderId), page: `/track${kind.orderPath(orderId)}`, temporalUi: temporalUiLink(deps, workflowId) },
  });
}

/**
 * The workflow id comes from the client's idempotency key. With the FAIL conflict policy and
 * REJECT_DUPLICATE reuse policy the server lets exactly one start win, whether the first is
 * still running or long finished; the losers learn the id is taken and meet that workflow.
 * The request's fingerprint travels in the memo, so a key reused with another body is refused.
 */
function startOnce<W extends Workflow>(deps: HttpDeps, kind: WorkflowKind, start: OrderStart<W>): Promise<Started> {
  // The client retries while Temporal is unavailable; past this, the caller gets a 503 and may retry.
  return deps.client.withDeadline(Date.now() + START_DEADLINE_MS, () => startOrMeet(deps, kind, start));
}

/** How long a start (and the look-up of an existing workflow) may take before the API gives up. */
const START_DEADLINE_MS = 5000;

async function startOrMeet<W extends Workflow>({ client, taskQueue }: HttpDeps, kind: WorkflowKind, start: OrderStart<W>): Promise<Started> {
  const workflowId = kind.workflowId(start.orderId);
  const requestHash = fingerprint(start.request);
  try {
    // By type name: the API never loads workflow code. The args were checked against W above.
    await client.workflow.start(kind.workflowType, {
      workflowId,
      taskQueue,
      args: start.args as unknown[],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { ...start.memo, view: start.view, requestHash },
      typedSearchAttributes: start.searchAttributes,
      staticSummary: start.summary,
      staticDetails: start.details,
    });
    return { created: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const description = await client.workflow.getHandle(workflowId).describe();
  if (description.memo?.requestHash !== requestHash) {
    throw new HttpProblem(422, 'Idempotency key reused', `Idempotency-Key was already used with a different request body`, [
      { field: 'Idempotency-Key', message: 'already used with a different request body' },
    ]);
  }
  return { created: false, existingStatus: description.typedSearchAttributes.get(kind.statusAttribute) };
}
