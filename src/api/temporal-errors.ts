// How the Temporal client's errors read over HTTP.
import { ServiceError, type WorkflowHandle, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { OrderStatusAttribute } from '../domain';
import { HttpProblem } from './problem';

/** Runs a call against one workflow, answering 404 or 409 in the API's words. */
export async function onWorkflow<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new HttpProblem(404, 'Not found', `${what} does not exist`);
    if (err instanceof WorkflowUpdateFailedError) {
      const reason = err.cause instanceof ApplicationFailure ? err.cause.message : String(err.cause ?? err.message);
      throw new HttpProblem(409, 'Conflict', `${what}: ${reason}`);
    }
    throw err;
  }
}

/**
 * Sends an update. The server answers an update to a workflow that has closed as "not found";
 * for the client that is a conflict with the ending the workflow reached, not a missing order.
 */
export async function updateWorkflow<T>(
  handle: WorkflowHandle,
  what: string,
  statusAttribute: typeof OrderStatusAttribute,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await onWorkflow(what, send);
  } catch (err) {
    if (!(err instanceof HttpProblem && err.status === 404)) throw err;
    const closed = await handle.describe().catch(() => undefined);
    if (!closed) throw err;
    const status = closed.typedSearchAttributes.get(statusAttribute) ?? closed.status.name;
    throw new HttpProblem(409, 'Conflict', `${what}: it has already ended ${status}`);
  }
}

/** True when the error means Temporal could not be reached (gRPC UNAVAILABLE or DEADLINE_EXCEEDED). */
export function temporalUnreachable(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  const code = (err.cause as { code?: number } | undefined)?.code;
  return code === 14 || code === 4;
}
