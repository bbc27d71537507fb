// Reading an order's view: a running workflow answers a query, a closed one is read from its ending.
import { QueryRejectedError, WorkflowClient, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition } from '@temporalio/common';
import { onWorkflow } from './temporal-errors';

/**
 * The view of one order, in one round trip while it runs. A running workflow answers the query.
 * A closed one is not asked: the server refuses the query at once (NOT_OPEN), and the view is the
 * workflow's result, or, when it needs attention, its failure's details, read from the history.
 * So reading a finished order needs no worker and no replay of its whole history, and a worker
 * that is down or restarting cannot make it fail. A workflow closed from outside (terminated,
 * timed out) has no such ending and is queried after all.
 */
export function readView<V>(handle: WorkflowHandle, what: string, query: QueryDefinition<V>): Promise<V> {
  return onWorkflow(what, async () => {
    try {
      return await openOnly(handle.client).getHandle(handle.workflowId).query(query);
    } catch (err) {
      if (!(err instanceof QueryRejectedError)) throw err;
    }
    return (await endingView<V>(handle)) ?? handle.query(query);
  });
}

async function endingView<V>(handle: WorkflowHandle): Promise<V | undefined> {
  try {
    return (await handle.result()) as V;
  } catch (err) {
    const failure = err instanceof WorkflowFailedError ? err.cause : undefined;
    return failure instanceof ApplicationFailure && failure.details?.length ? (failure.details[0] as V) : undefined;
  }
}

/** The same client, except that the server refuses its queries to closed workflows. */
const openOnlyClients = new WeakMap<WorkflowClient, WorkflowClient>();

function openOnly(client: WorkflowClient): WorkflowClient {
  let reader = openOnlyClients.get(client);
  if (!reader) {
    const { namespace, interceptors, dataConverter } = client.options;
    reader = new WorkflowClient({ connection: client.connection, namespace, interceptors, dataConverter, queryRejectCondition: 'NOT_OPEN' });
    openOnlyClients.set(client, reader);
  }
  return reader;
}
