// Orders started by workers from before versioning carry no version. Once the workers are
// versioned, Temporal sends such a workflow's next task to the deployment's current version, and
// from that task on it is pinned there. The versioned code must therefore replay them: their
// patched() branches stay until none is open (docs/OPERATIONS.md, "Deploying a change").
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CoffeeView } from '../../src/coffee/coffee';
import { claimCoffee, markCoffeeReady, pickUpCoffee } from '../../src/coffee/messages';
import { projectRoot } from '../../src/dev/temporal-cli';
import { workflowSinks } from '../../src/main/shop-worker';
import { reportShipmentEvent } from '../../src/orders/messages';
import type { OrderView } from '../../src/orders/order';
import { workflowKinds } from '../../src/main/kinds';
import { deploymentStatus } from '../../src/platform/temporal/deployment';
import { paymentTaskQueue } from '../../src/saga/activity-options';
import { createServices, type Services } from '../../src/services';
import { createActivities, createPaymentActivities } from '../../src/services/activities';
import { coffeeInput, placeCoffee, stockCafe } from '../coffee/fixtures';
import { orderInput, placeOrder, stockCatalog } from '../orders/fixtures';
import { bundleWithChange } from '../support/changed-bundle';
import { temporaryDatabase, uniqueId } from '../support/database';
import { testCodec } from '../support/secrets';
import { connectTestTemporal, type RunningWorker, startVersionedWorker, type TestTemporal, testVersion, waitForOrder } from '../support/temporal';
import { waitUntil } from '../support/worker-process';

const scratch = path.join(projectRoot, '.temporal', `before-versioning-${process.pid}`); // git-ignored
const taskQueue = uniqueId('tq-unversioned');

let temporal: TestTemporal;
let services: Services;
let closeDb: () => Promise<void>;
let versioned: RunningWorker | undefined;

beforeAll(async () => {
  const database = await temporaryDatabase();
  closeDb = database.close;
  services = createServices(database.db);
  temporal = await connectTestTemporal();
}, 60_000);

afterAll(async () => {
  await versioned?.stop();
  await temporal?.close();
  await closeDb?.();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The workers as they were before versioning: the same code without its versioning behavior, unversioned polling. */
async function runUnversionedWorker(): Promise<() => Promise<void>> {
  const unpinned = (file: string, fn: string) => ({ file, find: `setWorkflowOptions({ versioningBehavior: 'PINNED' }, ${fn});`, replace: '' });
  const { code } = await bundleWithChange(scratch, [unpinned('orders/order-fulfillment.ts', 'orderFulfillment'), unpinned('coffee/coffee-order.ts', 'coffeeOrder')]);
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    taskQueue,
    activities: createActivities(services),
    dataConverter: { payloadCodecs: [testCodec] },
    workflowBundle: { code },
    sinks: workflowSinks(),
  });
  // The payment steps of the bundled code go to their own queue (src/main/shop-worker.ts).
  const payments = await Worker.create({ connection: temporal.nativeConnection, taskQueue: paymentTaskQueue(taskQueue), activities: createPaymentActivities(services), dataConverter: { payloadCodecs: [testCodec] } });
  const running = Promise.all([worker.run(), payments.run()]);
  return async () => {
    worker.shutdown();
    payments.shutdown();
    await running;
  };
}

async function versioningOf(handle: WorkflowHandle) {
  return (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo ?? undefined;
}

async function failedTasks(handle: WorkflowHandle): Promise<number> {
  return ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
}

describe('orders started before the workers were versioned', () => {
  it('go to the current version on their next task, are pinned there, and finish', async () => {
    const stopUnversioned = await runUnversionedWorker();
    const order = await placeOrder(temporal.client, taskQueue, orderInput(await stockCatalog(services)));
    await stockCafe(services);
    const coffee = await placeCoffee(temporal.client, taskQueue, coffeeInput());
    await waitForOrder(order, (o) => o.status === 'SHIPMENT_CREATED');
    await waitForOrder<CoffeeView>(coffee, (c) => c.status === 'QUEUED');
    await stopUnversioned();
    expect(await versioningOf(order)).toBeUndefined();

    // The versioned workers take over: their version is made current, and the status counts the
    // two as unversioned until their next task.
    const version = testVersion(taskQueue);
    versioned = await startVersionedWorker(temporal, { taskQueue, version, services, codec: testCodec, workflowBundle: { codePath: inject('workflowBundlePath') } });
    const api = { workflowService: temporal.client.workflowService, namespace: 'default' };
    expect((await deploymentStatus(api, version.deploymentName, taskQueue, workflowKinds)).unversioned).toEqual({ order: 1, coffee: 1 });

    // The carrier's event is the order's next task: it runs on the current version and pins the order to it.
    await order.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    const pinned = await versioningOf(order);
    expect(pinned).toMatchObject({ behavior: 1 /* PINNED */, deploymentVersion: { deploymentName: version.deploymentName, buildId: version.buildId } });
    await order.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    expect(((await order.result()) as OrderView).status).toBe('COMPLETED');
    expect(await failedTasks(order)).toBe(0);

    // The coffee order likewise, through the barista's steps.
    await coffee.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] });
    expect(await versioningOf(coffee)).toMatchObject({ behavior: 1, deploymentVersion: { buildId: version.buildId } });
    await coffee.executeUpdate(markCoffeeReady);
    await coffee.executeUpdate(pickUpCoffee);
    expect(((await coffee.result()) as CoffeeView).status).toBe('PICKED_UP');
    expect(await failedTasks(coffee)).toBe(0);

    await waitUntil(async () => (await deploymentStatus(api, version.deploymentName, taskQueue, workflowKinds)).unversioned.order === 0, 'no unversioned order to be left');
  }, 120_000);
});
