// How the Temporal client's errors read over HTTP, and the time any call to Temporal may take.
import {
  type Client,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpProblem, Unavailable } from './problem';

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
 * Runs calls to Temporal that must be over within `ms`. The client retries an unreachable server
 * for about 20 s by default; a request should hear 503 long before its caller gives up.
 */
export function withinDeadline<T>(client: Pick<Client, 'withDeadline'>, ms: number, call: () => Promise<T>): Promise<T> {
  return client.withDeadline(Date.now() + ms, call);
}

/** True when the error means Temporal could not be reached in time (gRPC UNAVAILABLE or DEADLINE_EXCEEDED). */
export function temporalUnreachable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (!(err instanceof ServiceError)) return false;
  const code = (err.cause as { code?: number } | undefined)?.code;
  return code === 14 || code === 4;
}

export const temporalUnavailable = (): Unavailable => new Unavailable('Temporal cannot be reached; try again shortly');
