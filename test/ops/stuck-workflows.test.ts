// Stuck workflows are visible: an order broken by a careless deploy raises the alert of
// deploy/prometheus/alerts.yml on a real worker's metrics, `workflows:stuck` lists it with the
// reset to run, and that reset, run with the real CLI, gets the order going on today's code.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findTemporalCli, projectRoot } from '../../src/dev/temporal-cli';
import { findStuckWorkflows, type HistoryEvent, NONDETERMINISM, resetPoint } from '../../src/ops/stuck-workflows';
import { shipmentEvent } from '../../src/orders/messages';
import { orderInput, placeOrder, stockCatalog, stockOf } from '../orders/fixtures';
import { addedAfter, bundleWithChange } from '../support/changed-bundle';
import { uniqueId } from '../support/database';
import { distEntry, freePort, type Spawned, spawnNode, waitForOutput } from '../support/processes';
import { alertSelector, samples } from '../support/prometheus';
import { testCodec, testSecrets } from '../support/secrets';
import { startVersionedWorker, waitForOrder } from '../support/temporal';
import { stopWorkerProcess, useWorkerProcessFixture, waitUntil } from '../support/worker-process';

const fixture = useWorkerProcessFixture();
const scratch = path.join(projectRoot, '.temporal', `careless-${process.pid}`); // git-ignored

/**
 * The workflows as a careless change would leave them: one more customer email between the
 * payment and the shipment, without patched(), and shipped under the build id of the code it
 * replaced (TEMPORAL_WORKER_BUILD_ID set by hand and left as it was), so versioning cannot keep
 * the two apart. Orders this code ran cannot replay on the real code.
 */
async function carelessBundle(): Promise<string> {
  const accepted = "await order.tellCustomer('order-accepted', { totalCents: reservation.totalCents });";
  return (await bundleWithChange(scratch, [addedAfter('orders/order-fulfillment.ts', accepted, "  await order.tellCustomer('order-being-packed');")])).codePath;
}

let carelessBundlePath: string;
beforeAll(async () => {
  carelessBundlePath = await carelessBundle();
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs an order on the careless code until it waits for the carrier, then stops that worker. */
async function orderLeftByCarelessDeploy(taskQueue: string) {
  const { stop } = await startVersionedWorker(fixture.temporal, {
    taskQueue,
    version: carelessVersion(taskQueue),
    services: fixture.services,
    codec: testCodec,
    workflowBundle: { codePath: carelessBundlePath },
  });
  try {
    const catalog = await stockCatalog(fixture.services);
    const handle = await placeOrder(fixture.temporal.client, taskQueue, orderInput(catalog));
    const view = await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    return { handle, catalog, view };
  } finally {
    await stop();
  }
}

/** The one version both the careless code and the real code claim to be. */
function carelessVersion(taskQueue: string) {
  return { deploymentName: `tf-${taskQueue}`, buildId: 'set-by-hand' };
}

async function startRealWorker(taskQueue: string, metricsPort: number): Promise<Spawned> {
  const worker = spawnNode('main/worker.js', {
    ...inject('temporalEnv'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_DEPLOYMENT_NAME: carelessVersion(taskQueue).deploymentName,
    TEMPORAL_WORKER_BUILD_ID: carelessVersion(taskQueue).buildId,
    DATA_DIR: fixture.dataDir,
    WORKER_METRICS_PORT: String(metricsPort),
  });
  await waitForOutput(worker, /worker polling/);
  return worker;
}

/** The attempt of the workflow task the server is retrying; 0 when none is pending. */
async function workflowTaskAttempt(handle: WorkflowHandle): Promise<number> {
  return Number((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0);
}

/** Runs a command to its end without throwing on a non-zero exit: the code is part of the answer. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }));
  });
}

describe('a workflow stuck on a nondeterminism', () => {
  it('raises the alert, is listed with its failure and reset, and runs again on the real code after that reset', async () => {
    const { client } = fixture.temporal;
    const taskQueue = uniqueId('tq-stuck');
    const stuck = await orderLeftByCarelessDeploy(taskQueue);
    const metricsPort = await freePort();
    const worker = await startRealWorker(taskQueue, metricsPort);
    try {
      const healthy = await placeOrder(client, taskQueue, orderInput(await stockCatalog(fixture.services)));
      await waitForOrder(healthy, (o) => o.status === 'SHIPMENT_CREATED');

      // The carrier's event makes the real worker replay the careless history.
      await stuck.handle.signal(shipmentEvent, { event: 'DISPATCHED' });
      await waitUntil(async () => (await workflowTaskAttempt(stuck.handle)) >= 2, 'the workflow task to fail');

      // The alert's own selector matches what the worker counted for this task queue.
      const { metric, labels } = alertSelector('WorkflowNondeterminism');
      const counted = async () => {
        const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return samples(exposition, metric).find((s) => s.labels.task_queue === taskQueue && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      };
      await waitUntil(async () => (await counted()) !== undefined, `${metric} for ${taskQueue} in the worker's metrics`);
      const sample = await counted();
      expect(sample?.labels).toMatchObject({ ...labels, workflow_type: 'orderFulfillment', namespace: 'default' });
      expect(sample?.value).toBeGreaterThanOrEqual(1);

      // Listed with its failure and a reset to a completed workflow task; the healthy one is not.
      const scan = await findStuckWorkflows(client, { taskQueue });
      expect(scan).toMatchObject({ scanned: 2, complete: true });
      expect(scan.stuck.map((s) => s.workflowId)).toEqual([stuck.handle.workflowId]);
      const [listed] = scan.stuck;
      expect(listed).toMatchObject({ workflowType: 'orderFulfillment', taskQueue, failure: { cause: NONDETERMINISM } });
      expect(listed!.attempts).toBeGreaterThanOrEqual(2);
      expect(listed!.failure.message).toMatch(/nondetermin/i);
      const { events } = await stuck.handle.fetchHistory();
      const resetTo = events?.find((e) => Number(e.eventId) === listed!.resetEventId);
      expect(resetTo?.workflowTaskCompletedEventAttributes).toBeTruthy();

      // The command prints the same, with the reset line an operator copies.
      const cli = await run(process.execPath, [distEntry('ops/stuck-workflows.js'), '--task-queue', taskQueue], {
        PATH: process.env.PATH,
        ...inject('temporalEnv'),
        PAYLOAD_ENCRYPTION_KEYS: testSecrets.PAYLOAD_ENCRYPTION_KEYS,
      });
      expect(cli.code, cli.output).toBe(3);
      expect(cli.output).toContain(`${stuck.handle.workflowId} (orderFulfillment, task queue ${taskQueue})`);
      expect(cli.output).not.toContain(healthy.workflowId);
      const resetLine = cli.output.split('\n').find((l) => l.trim().startsWith('temporal workflow reset'))!.trim();
      expect(resetLine).toContain(`--event-id ${listed!.resetEventId}`);

      // The printed reset, run with the real CLI, starts a new run that the real code carries on:
      // the carrier's event is applied again, and the steps' idempotency keys give back the same
      // reservation, payment and shipment, so the stock moves once.
      const temporal = (await findTemporalCli())!;
      const reset = await run('sh', ['-c', resetLine.replace(/^temporal /, `'${temporal}' `)]);
      expect(reset).toMatchObject({ code: 0 });
      const newRun = client.workflow.getHandle(stuck.handle.workflowId);
      expect((await newRun.describe()).runId).not.toBe(listed!.runId);
      // DISPATCHED shows before the capture and the stock's move: wait for the last of them.
      const after = await waitForOrder(newRun, (o) => o.steps.some((step) => step.name === 'shipInventory' && step.status === 'COMPLETED'));
      expect(after.status).toBe('DISPATCHED');
      expect(after.payment).toMatchObject({ status: 'CAPTURED', paymentId: stuck.view.payment.paymentId });
      expect(after.shipment?.shipmentId).toBe(stuck.view.shipment?.shipmentId);
      expect((await stockOf(fixture.services, stuck.catalog)).mug).toEqual({ available: 7, reserved: 0, shipped: 3 });
      expect(await findStuckWorkflows(client, { taskQueue })).toMatchObject({ stuck: [] });

      await Promise.all([newRun.terminate('test over'), healthy.terminate('test over')]);
    } finally {
      await stopWorkerProcess(worker);
    }
  });

  it('is reset to its first completed workflow task, and a task failing for another reason to the last one', () => {
    const task = (id: number, type: string): HistoryEvent => ({ eventId: String(id), eventType: `EVENT_TYPE_WORKFLOW_TASK_${type}` });
    const events = [task(2, 'SCHEDULED'), task(3, 'STARTED'), task(4, 'COMPLETED'), task(8, 'STARTED'), task(9, 'COMPLETED'), task(12, 'STARTED'), task(13, 'FAILED')];

    expect(resetPoint(events, NONDETERMINISM)).toBe(4);
    expect(resetPoint(events, 'WORKFLOW_WORKER_UNHANDLED_FAILURE')).toBe(9);
    expect(resetPoint(events.slice(0, 2), NONDETERMINISM)).toBeUndefined();
  });
});
