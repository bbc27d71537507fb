// Reading an order's view: a running workflow answers a query, a closed one is read from its ending.
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition } from '@temporalio/common';
import { onWorkflow } from './temporal-errors';

/**
 * The view of one order. A running workflow answers the query. A closed workflow is not asked:
 * its result (or, when it needs attention, its failure's details) is the view it ended with, and
 * the server reads that from the history. So reading a finished order needs no worker and no
 * replay of its whole history, and a worker that is down or restarting cannot make it fail.
 * A workflow closed from outside (terminated, timed out) has no such ending and is queried.
 */
export function readView<V>(handle: WorkflowHandle, what: string, query: QueryDefinition<V>): Promise<V> {
  return onWorkflow(what, async () => {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') {
      const ending = await endingView<V>(handle, status.name);
      if (ending !== undefined) return ending;
    }
    return handle.query(query);
  });
}

async function endingView<V>(handle: WorkflowHandle, status: string): Promise<V | undefined> {
  if (status === 'COMPLETED') return (await handle.result()) as V;
  if (status !== 'FAILED') return undefined;
  try {
    await handle.result();
  } catch (err) {
    const failure = err instanceof WorkflowFailedError ? err.cause : undefined;
    if (failure instanceof ApplicationFailure && failure.details?.length) return failure.details[0] as V;
  }
  return undefined;
}
