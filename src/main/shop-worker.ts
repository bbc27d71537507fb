// Builds the shop's workers: one runs every workflow (both kinds of order, the reconciliation) and
// every activity on the shop's task queue; the other the payment steps on their own queue.
import fs from 'node:fs';
import path from 'node:path';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { PayloadCodec } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { startTracing, type Tracing } from '../platform/observability/tracing';
import { deploymentOptions, type WorkerVersion } from '../platform/temporal/versioning';
import { reconciliationActivities, type ReconciliationSettings } from '../reconciliation/activities';
import { paymentTaskQueue } from '../saga/activity-options';
import type { Services } from '../services';
import { createActivities, createPaymentActivities } from '../services/activities';
import { withTypedFailures } from '../services/activities/failures';
import { DEFAULT_DISPATCH_DEADLINE_HOURS } from '../shop';
import { workflowKinds } from './kinds';

/** The workflows' registry (src/workflows.ts), found from here both in src/ (tests) and in dist/ (built). */
export const WORKFLOWS_PATH = ['.ts', '.js'].map((ext) => path.join(__dirname, '..', `workflows${ext}`)).find((file) => fs.existsSync(file))!;

/** Interceptors that run inside the workflow sandbox: OpenTelemetry spans for each workflow. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

export interface FulfillmentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The Worker Deployment Version it polls for (src/platform/temporal/versioning.ts). */
  version: WorkerVersion;
  services: Services;
  /** Seals what the worker sends to Temporal and opens what it reads (src/platform/security/payload-encryption.ts). */
  codec: PayloadCodec;
  /**
   * A bundle made ahead of time with bundleWorkflowCode. Without it the worker bundles the
   * workflows itself at start, which takes a few seconds.
   */
  workflowBundle?: { codePath: string };
  /** Where workflow spans go; without it they are dropped. Activity spans use the global provider. */
  tracing?: Pick<Tracing, 'resource' | 'spanProcessor'>;
  /** Whether the workflows carry the tracing interceptors (when bundled at start). */
  traced?: boolean;
  /** What the reconciliation counts as drift, and where it reports its counts. */
  reconciliation?: ReconciliationSettings;
  /** The rate Temporal holds the payment steps to across every worker (PAYMENT_ACTIVITIES_PER_SECOND); none when absent. */
  paymentActivitiesPerSecond?: number;
}

/** The reconciliation's thresholds when the settings give none (RECONCILE_OUTBOX_MINUTES, DISPATCH_DEADLINE_HOURS). */
const defaultReconciliation: ReconciliationSettings = { outboxMinutes: 15, dispatchDeadlineHours: DEFAULT_DISPATCH_DEADLINE_HOURS };

/**
 * How this worker is tuned, and why. More throughput comes from more worker processes
 * (`docker compose up --scale worker=3`), not from larger numbers here.
 */
export const workerTuning = {
  /**
   * On SIGTERM, running activities get this long to finish before they are cancelled. Ours are
   * short database calls or gateway requests, so 30 s drains them; the deployment's stop
   * timeout must be longer (docker compose: stop_grace_period 45s).
   */
  shutdownGraceTime: '30 seconds',
  /**
   * Activities wait mostly on the database or the gateway. 50 at once keeps a PostgreSQL pool
   * of 10 busy without queueing hundreds of calls behind it; SQLite serializes writes anyway.
   */
  maxConcurrentActivityTaskExecutions: 50,
  /** Workflow tasks are CPU-bound replay steps: a few more than cores keeps both cores busy. */
  maxConcurrentWorkflowTaskExecutions: 20,
  /**
   * A cached workflow takes its next task without fetching and replaying its history. Without
   * zod and the tracing interceptors in the sandbox, an open order in the cache costs the worker
   * 0.2-0.35 MB (`npm run bench`: 1500 orders waiting for the carrier took a worker from 258 to
   * 784 MB; docs/PERFORMANCE.md), so 2000 fit in about 1 GB with the worker's own 260 MB.
   * Orders beyond that fall out, oldest first, and replay their short history on their next task.
   */
  maxCachedWorkflows: 2000,
} as const;

/**
 * The shop's workers in one process: the workflows and every activity on the shop's task queue,
 * and the payment steps on a queue of their own, where Temporal holds them to the provider's rate
 * across every worker (maxTaskQueueActivitiesPerSecond is the task queue's, not the worker's).
 * Workflows started before the payment steps had their queue schedule them on the shop's queue,
 * whose worker still takes them.
 */
export class ShopWorkers {
  private constructor(readonly workers: readonly Worker[]) {}

  static async create(opts: FulfillmentWorkerOptions): Promise<ShopWorkers> {
    return new ShopWorkers([await createFulfillmentWorker(opts), await createPaymentWorker(opts)]);
  }

  /** Runs them until both have stopped; one that stops for good (a fatal error) stops the other. */
  async run(): Promise<void> {
    const results = await Promise.allSettled(this.workers.map((w) => w.run().finally(() => this.shutdown())));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Stops polling; the activities in flight finish (up to shutdownGraceTime), then run() returns. */
  shutdown(): void {
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  }
}

/** The payment steps' worker: their task queue, held to the provider's rate when one is given. */
async function createPaymentWorker(opts: FulfillmentWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: paymentTaskQueue(opts.taskQueue),
    workerDeploymentOptions: deploymentOptions(opts.version),
    activities: createPaymentActivities(opts.services),
    dataConverter: { payloadCodecs: [opts.codec] },
    interceptors: { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] },
    shutdownGraceTime: workerTuning.shutdownGraceTime,
    maxConcurrentActivityTaskExecutions: workerTuning.maxConcurrentActivityTaskExecutions,
    ...(opts.paymentActivitiesPerSecond !== undefined && { maxTaskQueueActivitiesPerSecond: opts.paymentActivitiesPerSecond }),
  });
}

export async function createFulfillmentWorker(opts: FulfillmentWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workerDeploymentOptions: deploymentOptions(opts.version),
    activities: { ...createActivities(opts.services), ...withTypedFailures(reconciliationActivities(opts.services, workflowKinds, opts.reconciliation ?? defaultReconciliation)) },
    dataConverter: { payloadCodecs: [opts.codec] },
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    interceptors: {
      // A prebuilt bundle has the workflow interceptors compiled in already, or none.
      workflowModules: opts.workflowBundle || !opts.traced ? [] : WORKFLOW_INTERCEPTOR_MODULES,
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })],
    },
    sinks: workflowSinks(opts.tracing),
    ...workerTuning,
  });
}

/** The sinks the bundled workflow interceptors call: spans go to the tracing's processor. */
export function workflowSinks(tracing: Pick<Tracing, 'resource' | 'spanProcessor'> = startTracing('temporal-fulfillment-worker', undefined)) {
  return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}
