// A real worker and client against the run's dev server, on a task queue of the test's own.
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import { type FulfillmentWorkerOptions, ShopWorkers } from '../../src/main/shop-worker';
import type { OrderView } from '../../src/orders/order';
import type { Db } from '../../src/platform/db/database';
import { temporalTarget } from '../../src/platform/temporal/connection';
import { makeCurrent } from '../../src/platform/temporal/deployment';
import type { WorkerVersion } from '../../src/platform/temporal/versioning';
import { createServices, type Services } from '../../src/services';
import { temporaryDatabase, uniqueId } from './database';
import { testCodec } from './secrets';
import { waitFor } from './wait';

export interface TestTemporal {
  client: Client;
  nativeConnection: NativeConnection;
  close: () => Promise<void>;
}

let runtimeInstalled = false;

export async function connectTestTemporal(): Promise<TestTemporal> {
  if (!runtimeInstalled) {
    // Workers log every state change at INFO; tests want only what went wrong.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const { connection: options } = temporalTarget(inject('temporalEnv'));
  const connection = await Connection.connect(options);
  const nativeConnection = await NativeConnection.connect(options);
  return {
    client: new Client({ connection, dataConverter: { payloadCodecs: [testCodec] } }),
    nativeConnection,
    close: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

export interface RunningWorker {
  taskQueue: string;
  stop: () => Promise<void>;
}

/**
 * A Worker Deployment of the task queue's own, on the run's workflow bundle unless another build
 * is named: making a version current then touches no other test's workers.
 */
export function testVersion(taskQueue: string, buildId = inject('workflowBuildId')): WorkerVersion {
  return { deploymentName: `tf-${taskQueue}`, buildId };
}

/** Starts the project's worker over the given services, on a fresh task queue unless one is given. */
export function startTestWorker(temporal: TestTemporal, services: Services, taskQueue = uniqueId('tq'), opts: { current?: boolean } = {}): Promise<RunningWorker> {
  return startVersionedWorker(temporal, { taskQueue, services, codec: testCodec, workflowBundle: { codePath: inject('workflowBundlePath') }, ...opts });
}

/**
 * Starts a worker as npm start does: its version (the task queue's own deployment, unless given)
 * is made current once it polls, so the workflows started next run on it.
 */
export async function startVersionedWorker(
  temporal: TestTemporal,
  opts: Omit<FulfillmentWorkerOptions, 'connection' | 'namespace' | 'version'> & { version?: WorkerVersion; current?: boolean },
): Promise<RunningWorker> {
  const { taskQueue } = opts;
  const version = opts.version ?? testVersion(taskQueue);
  const workers = await ShopWorkers.create({ ...opts, connection: temporal.nativeConnection, namespace: 'default', version });
  const running = workers.run();
  if (opts.current ?? true) await makeCurrent({ workflowService: temporal.client.workflowService, namespace: 'default' }, version);
  return {
    taskQueue,
    stop: async () => {
      workers.shutdown();
      await running;
    },
  };
}

/** Polls the view the order's workflow publishes (as the API reads it) until the predicate holds; fails with the last one seen. */
export async function waitForOrder<V extends { status: string } = OrderView>(
  handle: WorkflowHandle,
  until: (order: V) => boolean,
  timeoutMs = 30_000,
): Promise<V> {
  const view = await waitFor(async () => (await handle.describe()).memo?.view as V | undefined, (v) => v !== undefined && until(v), { what: 'the order to reach the expected state', timeoutMs });
  return view!;
}

export interface TestStack {
  temporal: TestTemporal;
  db: Db;
  services: Services;
  worker: RunningWorker;
  stop: () => Promise<void>;
}

/** The real services on a fresh database, and the project's worker over them on its own queue. */
export async function startTestStack(): Promise<TestStack> {
  const { db, close } = await temporaryDatabase();
  const services = createServices(db);
  const temporal = await connectTestTemporal();
  const worker = await startTestWorker(temporal, services);
  return {
    temporal,
    db,
    services,
    worker,
    stop: async () => {
      await worker.stop();
      await temporal.close();
      await close();
    },
  };
}
