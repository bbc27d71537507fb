// Asking a running workflow to act, as an Update: its validator refuses (409) or it carries the
// request out; when no worker takes it, the caller hears 503 within seconds, never a hang.
import { WorkflowNotFoundError, type WorkflowUpdateHandle, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Response } from 'express';
import type { HttpDeps } from './deps';
import { HttpProblem, Unavailable } from './problem';
import { onWorkflow, temporalUnavailable, withinDeadline } from './temporal-errors';
import { READ_DEADLINE_MS, readView, type WorkflowOrder } from './workflow-view';

/** A worker takes an Update in milliseconds; one that has not in this long is not coming soon. */
const ACCEPT_DEADLINE_MS = 5000;
/**
 * How long the API waits for an accepted request to be carried out before answering 202. With
 * the read that finds the order before and the one that answers the 202 after (3 s each at most)
 * and the 5 s for a worker to accept, an action is answered within 19 s, under the 20 s any
 * answer may take, even when every step runs to its deadline (a history service restarting).
 */
const ANSWER_DEADLINE_MS = 8000;
/** How long the check for a polling worker may take. */
const POLLER_CHECK_MS = 2000;
/**
 * Temporal may keep a request no worker took yet, and a worker that comes back may still carry
 * it out: a retry with the same Idempotency-Key meets it rather than making a second one.
 */
const RETRY = 'try again shortly, with the same Idempotency-Key';

export interface UpdateRequest<Ret, Args extends unknown[]> {
  order: WorkflowOrder;
  update: UpdateDefinition<Ret, Args>;
  args: Args;
  /**
   * From the client's Idempotency-Key: the same request sent again (after a 503 or a lost
   * answer) carries the same id, the server hands it the first one's outcome, and the workflow
   * carries it out once. Without a key each request is a new one.
   */
  updateId?: string;
}

/**
 * Sends the Update and answers what the workflow answered: 409 when its validator refuses or the
 * workflow has ended; 503, naming what is missing, when no worker accepts it in time. When
 * carrying it out takes longer than the API waits (a refund still retrying), answers `undefined`:
 * the request was accepted and goes on.
 */
export async function sendUpdate<Ret, Args extends unknown[]>(deps: HttpDeps, request: UpdateRequest<Ret, Args>): Promise<Ret | undefined> {
  const { order, update, args, updateId } = request;
  const { handle } = order;
  let accepted: WorkflowUpdateHandle<Ret>;
  try {
    accepted = await withinDeadline(deps.client, ACCEPT_DEADLINE_MS, () => handle.startUpdate<Ret, [unknown]>(update.name, { args: args as unknown as [unknown], updateId, waitForStage: 'ACCEPTED' }));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw await endedOrMissing(order);
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) throw await notTaken(deps, order);
    throw err;
  }
  try {
    return await withinDeadline(deps.client, ANSWER_DEADLINE_MS, () => accepted.result());
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return undefined;
    // The server no longer knows the request: the workflow ended, or lost it in a restart.
    if (err instanceof WorkflowNotFoundError) throw await endedOrMissing(order);
    // A refusal is the Update's outcome too: reading it throws the validator's reason (409).
    return onWorkflow(order.what, () => Promise.reject(err));
  }
}

/** Answers the Update's outcome, or 202 with the order as it stands while it is still carried out. */
export async function answerUpdate<Ret, Args extends unknown[]>(res: Response, deps: HttpDeps, request: UpdateRequest<Ret, Args>): Promise<void> {
  const answer = await sendUpdate(deps, request);
  if (answer) res.json(answer);
  else res.status(202).json(await readView(request.order));
}

/**
 * The server answers an Update to a closed workflow as "not found": say how it ended, if it
 * exists. A running one lost the request (a server restart before a worker took it): again.
 */
async function endedOrMissing(order: WorkflowOrder): Promise<HttpProblem> {
  const view = await readView(order).catch((err: unknown) => {
    if (err instanceof HttpProblem && err.status === 404) return undefined;
    throw err;
  });
  if (!view) return new HttpProblem(404, 'Not found', `${order.what} does not exist`);
  if (!(await hasEnded(order))) return new Unavailable(`${order.what} did not get the request; ${RETRY}`);
  return new HttpProblem(409, 'Conflict', `${order.what}: it has already ended ${view.status}`);
}

/** Whether the order's workflow has closed. */
export async function hasEnded({ handle }: WorkflowOrder): Promise<boolean> {
  const { status } = await withinDeadline(handle.client, READ_DEADLINE_MS, () => handle.describe());
  return status.name !== 'RUNNING';
}

/** No worker accepted the Update in time: tell the caller whether any worker is polling at all. */
async function notTaken(deps: HttpDeps, order: WorkflowOrder): Promise<Unavailable> {
  const pollers = await withinDeadline(deps.client, POLLER_CHECK_MS, () =>
    // The workflow task queue's pollers (the default type): the workers that would take the Update.
    deps.client.workflowService.describeTaskQueue({ namespace: deps.namespace, taskQueue: { name: deps.taskQueue } }),
  ).then(
    (answer) => answer.pollers?.length ?? 0,
    () => undefined,
  );
  if (pollers === undefined) return temporalUnavailable();
  if (pollers === 0) return new Unavailable(`no worker is polling the task queue "${deps.taskQueue}", so ${order.what} cannot act on the request; ${RETRY}`, 10);
  return new Unavailable(`${order.what} did not take the request within ${ACCEPT_DEADLINE_MS / 1000} s; ${RETRY}`);
}
