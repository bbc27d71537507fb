// Deploying a change to the order workflow without a patch, on a real server: orders that started
// on version A finish on A while version B, which adds a step, takes the new ones; a 50 % ramp
// splits new orders; A drains, is refused retirement while orders are pinned to it, and is retired
// once drained; rolling back to A leaves B's orders on B. docs/OPERATIONS.md, "Deploying a change".
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/dev/temporal-cli';
import { cancelOrder, reportShipmentEvent } from '../../src/orders/messages';
import type { OrderView } from '../../src/orders/order';
import { workflowKinds } from '../../src/main/kinds';
import { type DeploymentApi, deploymentStatus, makeCurrent, retireVersion, setRamping, type VersionStatus } from '../../src/platform/temporal/deployment';
import { buildIdOf, type WorkerVersion } from '../../src/platform/temporal/versioning';
import { createServices, type Services } from '../../src/services';
import { type Catalog, orderInput, placeOrder, stockCatalog, stockOf } from '../orders/fixtures';
import { addedAfter, bundleWithChange, type ChangedBundle } from '../support/changed-bundle';
import { temporaryDatabase, uniqueId } from '../support/database';
import { testCodec } from '../support/secrets';
import { connectTestTemporal, type RunningWorker, startVersionedWorker, type TestTemporal, waitForOrder } from '../support/temporal';
import { waitUntil } from '../support/worker-process';

// Inside the project, so the bundler finds node_modules; git-ignored.
const scratch = path.join(projectRoot, '.temporal', `version-b-${process.pid}`);
const taskQueue = uniqueId('tq-deploy');
const deploymentName = `tf-${taskQueue}`;

let temporal: TestTemporal;
let services: Services;
let closeDb: () => Promise<void>;
let api: DeploymentApi;
let bundleB: ChangedBundle;
let versionA: WorkerVersion;
let versionB: WorkerVersion;
let workerA: RunningWorker | undefined;
let workerB: RunningWorker | undefined;
let catalog: Catalog;

beforeAll(async () => {
  const database = await temporaryDatabase();
  closeDb = database.close;
  services = createServices(database.db);
  temporal = await connectTestTemporal();
  api = { workflowService: temporal.client.workflowService, namespace: 'default' };
  // B: the customer hears that the order was received before anything else happens. A step
  // added at the start, without patched(): replaying an order of A's on B would fail.
  bundleB = await bundleWithChange(scratch, [addedAfter('orders/order-fulfillment.ts', 'const { orderId, items, paymentToken, shippingAddress } = order.input;', "await order.tellCustomer('order-received');")]);
  versionA = { deploymentName, buildId: inject('workflowBuildId') };
  versionB = { deploymentName, buildId: buildIdOf(bundleB.code) };
  catalog = await stockCatalog(services, 200);
}, 60_000);

afterAll(async () => {
  await workerA?.stop();
  await workerB?.stop();
  await temporal?.close();
  await closeDb?.();
  fs.rmSync(scratch, { recursive: true, force: true });
});

function startWorker(version: WorkerVersion, codePath: string, current: boolean): Promise<RunningWorker> {
  return startVersionedWorker(temporal, { taskQueue, version, current, services, codec: testCodec, workflowBundle: { codePath } });
}

async function newOrder() {
  const input = orderInput(catalog);
  return { input, handle: await placeOrder(temporal.client, taskQueue, input) };
}

/** The version Temporal pinned the workflow to, once its first task is done. */
async function pinnedTo(handle: WorkflowHandle): Promise<string> {
  let buildId: string | undefined | null;
  await waitUntil(async () => {
    const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
    buildId = info?.behavior === 1 /* PINNED */ ? info.deploymentVersion?.buildId : undefined;
    return Boolean(buildId);
  }, 'the workflow to be pinned to a version');
  return buildId!;
}

/** Which versions' workers completed the workflow's tasks, and how many tasks failed (a nondeterminism would). */
async function whoRanIt(handle: WorkflowHandle): Promise<{ builds: string[]; failedTasks: number }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const builds = new Set(events.flatMap((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? []));
  return { builds: [...builds], failedTasks: events.filter((e) => e.workflowTaskFailedEventAttributes).length };
}

async function versionStatus(buildId: string): Promise<VersionStatus | undefined> {
  return (await deploymentStatus(api, deploymentName, taskQueue, workflowKinds)).versions.find((v) => v.buildId === buildId);
}

async function deliver(handle: WorkflowHandle): Promise<OrderView> {
  await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
  await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
  return (await handle.result()) as OrderView;
}

const stepsOf = (view: OrderView) => view.steps.map((s) => s.name);

describe('deploying a change to the order workflow without a patch', () => {
  it('finishes A’s orders on A, runs new ones on B, ramps, drains and retires A, and rolls back without moving B’s orders', async () => {
    expect(versionB.buildId).not.toBe(versionA.buildId);
    workerA = await startWorker(versionA, inject('workflowBundlePath'), true);

    // Orders in flight on A, waiting for the carrier.
    const onA = await Promise.all([newOrder(), newOrder(), newOrder()]);
    for (const { handle } of onA) await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    for (const { handle } of onA) expect(await pinnedTo(handle)).toBe(versionA.buildId);

    // B's workers start beside A's; nothing goes to them until B is ramped or current.
    workerB = await startWorker(versionB, bundleB.codePath, false);
    await waitUntil(async () => ((await versionStatus(versionB.buildId))?.pollers.workflow ?? 0) > 0, 'B to be polling');
    expect(await versionStatus(versionA.buildId)).toMatchObject({ state: 'current', pinned: { order: 3, coffee: 0 } });

    // A 50 % ramp: new orders split between A and B.
    await setRamping(api, versionB, 50);
    expect(await versionStatus(versionB.buildId)).toMatchObject({ state: 'ramping', rampPercentage: 50 });
    const ramped = await Promise.all(Array.from({ length: 30 }, () => newOrder()));
    const rampedOn = await Promise.all(ramped.map(({ handle }) => pinnedTo(handle)));
    const onB = rampedOn.filter((b) => b === versionB.buildId).length;
    // 30 orders at 50 %: fewer than 5 on either side happens once in 15 000 runs.
    expect(onB).toBeGreaterThanOrEqual(5);
    expect(30 - onB).toBeGreaterThanOrEqual(5);
    expect(rampedOn.every((b) => b === versionA.buildId || b === versionB.buildId)).toBe(true);
    // Each ran its own version's steps; cancelling them unwinds on the same version.
    for (const [i, { handle }] of ramped.entries()) {
      const booked = await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
      expect(stepsOf(booked)[0]).toBe(rampedOn[i] === versionB.buildId ? 'notify:order-received' : 'reserveInventory');
      await handle.executeUpdate(cancelOrder, { args: [{ reason: 'ramp test over' }] });
    }

    // B becomes current: every new order runs B's steps.
    await makeCurrent(api, versionB);
    expect(await versionStatus(versionB.buildId)).toMatchObject({ state: 'current' });
    const first = await newOrder();
    expect(await pinnedTo(first.handle)).toBe(versionB.buildId);
    expect(stepsOf(await waitForOrder(first.handle, (o) => o.status === 'SHIPMENT_CREATED'))[0]).toBe('notify:order-received');

    // A still has orders pinned to it: it is draining, and retiring it is refused.
    await waitUntil(async () => (await versionStatus(versionA.buildId))?.state === 'draining', 'A to be draining');
    expect((await versionStatus(versionA.buildId))?.pinned.order).toBe(3);
    await expect(retireVersion(api, versionA, taskQueue, workflowKinds)).rejects.toThrow(/3 order\(s\) and 0 coffee order\(s\) pinned/);

    // A's orders finish on A: no failed task, every task completed by A's workers, A's steps.
    const stockBefore = await stockOf(services, catalog);
    for (const { input, handle } of onA) {
      const done = await deliver(handle);
      expect(done.status).toBe('COMPLETED');
      expect(stepsOf(done)).toEqual(['reserveInventory', 'authorizePayment', 'notify:order-accepted', 'createShipment', 'capturePayment', 'shipInventory', 'notify:order-dispatched', 'notify:order-delivered']);
      expect(await whoRanIt(handle)).toEqual({ builds: [versionA.buildId], failedTasks: 0 });
      // Money: the catalog's total captured once; nothing else taken.
      const payments = await services.gateway.paymentsForOrder(input.orderId);
      expect(payments.map((p) => [p.status, p.amountCents])).toEqual([['CAPTURED', 3 * 1250 + 990]]);
      expect((await services.notificationOutbox.sentTo(input.email)).map((n) => n.template)).not.toContain('order-received');
    }
    // Stock: the three orders' units left reserved and were shipped.
    const stockAfter = await stockOf(services, catalog);
    expect(stockAfter.mug).toEqual({ available: stockBefore.mug.available, reserved: stockBefore.mug.reserved - 9, shipped: stockBefore.mug.shipped + 9 });
    expect(stockAfter.poster).toEqual({ available: stockBefore.poster.available, reserved: stockBefore.poster.reserved - 3, shipped: stockBefore.poster.shipped + 3 });

    // With its last order ended, A is drained.
    await waitUntil(async () => (await versionStatus(versionA.buildId))?.state === 'drained', 'A to be drained');
    expect((await versionStatus(versionA.buildId))?.pinned).toEqual({ order: 0, coffee: 0 });

    // Rolling back: A is current again. B's order stays on B and finishes there; new orders run A's steps.
    await makeCurrent(api, versionA);
    const afterRollback = await newOrder();
    expect(await pinnedTo(afterRollback.handle)).toBe(versionA.buildId);
    const firstDone = await deliver(first.handle);
    expect(stepsOf(firstDone)[0]).toBe('notify:order-received');
    expect(await whoRanIt(first.handle)).toEqual({ builds: [versionB.buildId], failedTasks: 0 });
    expect(stepsOf(await deliver(afterRollback.handle))[0]).toBe('reserveInventory');

    // Forward again, and A retires once drained and its workers are gone.
    await makeCurrent(api, versionB);
    await waitUntil(async () => (await versionStatus(versionA.buildId))?.state === 'drained', 'A to be drained again');
    await workerA.stop();
    workerA = undefined;
    await waitUntil(
      async () =>
        retireVersion(api, versionA, taskQueue, workflowKinds).then(
          () => true,
          async (err: Error) => {
            if (!/still polling/.test(err.message)) throw err;
            await new Promise((r) => setTimeout(r, 1000));
            return false;
          },
        ),
      'A to be retired once Temporal forgets its pollers',
      60_000,
    );
    expect(await versionStatus(versionA.buildId)).toBeUndefined();
    expect((await versionStatus(versionB.buildId))?.state).toBe('current');
  }, 240_000);
});
