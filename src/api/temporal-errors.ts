// How the Temporal client's errors read over HTTP.
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
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

/** True when the error means Temporal could not be reached (gRPC UNAVAILABLE or DEADLINE_EXCEEDED). */
export function temporalUnreachable(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  const code = (err.cause as { code?: number } | undefined)?.code;
  return code === 14 || code === 4;
}
