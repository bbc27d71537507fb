// Builds a worker that runs both workflows and every activity on one task queue.
import path from 'node:path';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Services } from '../services';

/** The workflows folder, found from here both in src/ (tests) and in dist/ (built). */
export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows');

export interface FulfillmentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  services: Services;
  /**
   * A bundle made ahead of time with bundleWorkflowCode. Without it the worker bundles the
   * workflows itself at start, which takes a few seconds.
   */
  workflowBundle?: { codePath: string };
}

export async function createFulfillmentWorker(opts: FulfillmentWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.services),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
