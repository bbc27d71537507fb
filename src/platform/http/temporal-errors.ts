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

/** gRPC codes that mean Temporal cannot be reached or answered in time. */
const UNREACHABLE = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);
/**
 * gRPC codes that mean Temporal could not do it now, not that the request is wrong: CANCELLED,
 * UNKNOWN, RESOURCE_EXHAUSTED, FAILED_PRECONDITION (a workflow not ready to take an Update while
 * a worker restarts it), ABORTED, INTERNAL. Trying again later is the answer to each.
 */
const NOT_NOW = new Set([1, 2, 8, 9, 10, 13]);
/**
 * PERMISSION_DENIED and UNAUTHENTICATED: Temporal refuses this service's credentials (an expired
 * or revoked API key, a client certificate it does not trust). Nothing the caller sent is wrong,
 * and it comes right once the operator fixes the credentials.
 */
const REFUSED = new Set([7, 16]);
const NOT_FOUND = 5;

/**
 * The 503 for an error that says Temporal is away or could not do it now, naming which; undefined
 * for any other error.
 */
export function temporalUnavailableFor(err: unknown): Unavailable | undefined {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return temporalUnavailable();
  if (!(err instanceof ServiceError)) return undefined;
  const { code, details } = (err.cause ?? {}) as { code?: number; details?: string };
  if (code !== undefined && UNREACHABLE.has(code)) return temporalUnavailable();
  if (code !== undefined && NOT_NOW.has(code)) return new Unavailable(`Temporal could not complete the request now (${details || `gRPC code ${code}`}); try again shortly`);
  if (code !== undefined && REFUSED.has(code)) {
    // The caller hears 503; whoever runs the shop must hear why, or nothing gets fixed.
    console.error(`Temporal refused this service's credentials (gRPC code ${code}: ${details}): check TEMPORAL_API_KEY or the client certificate`);
    return new Unavailable(`Temporal refused this service's credentials (${details || `gRPC code ${code}`}); try again later`);
  }
  // A namespace that is not (yet) there: a deployment mistake, or one still being registered.
  if (code === NOT_FOUND && /namespace/i.test(details ?? '')) return new Unavailable(`Temporal does not serve this shop's namespace (${details}); try again later`);
  return undefined;
}

export const temporalUnavailable = (): Unavailable => new Unavailable('Temporal cannot be reached; try again shortly');
