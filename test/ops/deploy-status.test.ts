// `npm run deploy:status` and `deploy:retire` as an operator runs them, beside the built workers:
// the first version made current by its worker, a second one waiting for the promote, the promote
// done with the temporal CLI as the README says, and retiring refused for each reason there is.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { CoffeeView } from '../../src/coffee/coffee';
import { cancelCoffee } from '../../src/coffee/messages';
import { findTemporalCli } from '../../src/dev/temporal-cli';
import { cancelOrder } from '../../src/orders/messages';
import type { DeploymentStatus } from '../../src/platform/temporal/deployment';
import { buildIdOf } from '../../src/platform/temporal/versioning';
import { coffeeInput, placeCoffee, stockCafe } from '../coffee/fixtures';
import { orderInput, placeOrder, stockCatalog } from '../orders/fixtures';
import { uniqueId } from '../support/database';
import { distEntry, freePort, type Spawned, spawnNode, waitForOutput } from '../support/processes';
import { waitForOrder } from '../support/temporal';
import { stopWorkerProcess, useWorkerProcessFixture, waitUntil } from '../support/worker-process';

const fixture = useWorkerProcessFixture();
const taskQueue = uniqueId('tq-deploy-status');
const deployment = { TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_DEPLOYMENT_NAME: `tf-${taskQueue}` };
const builtId = buildIdOf(fs.readFileSync(distEntry('workflow-bundle.js'), 'utf8'));
const workers: Spawned[] = [];
afterAll(async () => {
  for (const worker of workers) await stopWorkerProcess(worker);
});

async function startWorker(env: Record<string, string> = {}): Promise<Spawned> {
  const worker = spawnNode('main/worker.js', { ...inject('temporalEnv'), ...deployment, DATA_DIR: fixture.dataDir, WORKER_METRICS_PORT: '0', ...env });
  workers.push(worker);
  await waitForOutput(worker, /worker polling/);
  return worker;
}

/** Runs a command to its end: its exit code and everything it printed. */
function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

const deploy = (...args: string[]) => run(process.execPath, [distEntry('ops/deploy.js'), ...args], { ...inject('temporalEnv'), ...deployment });

async function statusJson(): Promise<DeploymentStatus> {
  const { code, output } = await deploy('status', '--json');
  expect(code, output).toBe(0);
  return JSON.parse(output) as DeploymentStatus;
}

/** The row of the table for a build id, split on its column gaps. */
function row(table: string, buildId: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${buildId} `));
  if (!line) throw new Error(`no row for ${buildId} in:\n${table}`);
  return line.split(/\s{2,}/);
}

describe('deploy:status and deploy:retire', () => {
  it('show each version with its pollers and pinned orders, and refuse to retire a version still in use', async () => {
    // The first worker of a deployment makes its version current, and says so.
    const first = await startWorker();
    expect(first.output()).toMatch(new RegExp(`"version":"tf-${taskQueue}:${builtId}".*"routing":"made current`));

    const catalog = await stockCatalog(fixture.services);
    const orders = await Promise.all([placeOrder(fixture.temporal.client, taskQueue, orderInput(catalog)), placeOrder(fixture.temporal.client, taskQueue, orderInput(catalog))]);
    await stockCafe(fixture.services);
    const coffee = await placeCoffee(fixture.temporal.client, taskQueue, coffeeInput());
    for (const order of orders) await waitForOrder(order, (o) => o.status === 'SHIPMENT_CREATED');
    await waitForOrder<CoffeeView>(coffee, (c) => c.status === 'QUEUED');

    const { code, output } = await deploy('status');
    expect(code, output).toBe(0);
    expect(output).toContain(`Worker deployment tf-${taskQueue} · task queue ${taskQueue}`);
    expect(row(output, builtId)).toEqual([builtId, 'current', '1/1', '2', '1']);

    // A second version starts beside it and waits for the promote, which its log spells out.
    const next = await startWorker({ TEMPORAL_WORKER_BUILD_ID: 'next-build' });
    expect(next.output()).toContain(`not current until promoted: temporal worker deployment set-current-version --deployment-name tf-${taskQueue} --build-id next-build`);
    await waitUntil(async () => (await statusJson()).versions.some((v) => v.buildId === 'next-build' && v.pollers.workflow > 0), 'the next version to be polling');
    expect((await statusJson()).versions.find((v) => v.buildId === 'next-build')).toMatchObject({ state: 'inactive', pinned: { order: 0, coffee: 0 } });
    expect(row((await deploy('status')).output, 'next-build')).toEqual([
      'next-build',
      'inactive',
      '1/1',
      '0',
      '0',
      `to promote: temporal worker deployment set-current-version --deployment-name tf-${taskQueue} --build-id next-build`,
    ]);

    const current = await deploy('retire', builtId);
    expect(current.code).toBe(3);
    expect(current.output).toContain(`refused: tf-${taskQueue}:${builtId} is current: make another version current first`);

    // The promote, with the temporal CLI as the README gives it.
    const cli = await findTemporalCli();
    const promoted = await run(cli!, ['worker', 'deployment', 'set-current-version', '--deployment-name', `tf-${taskQueue}`, '--build-id', 'next-build', '--yes'], inject('temporalEnv'));
    expect(promoted.code, promoted.output).toBe(0);

    await waitUntil(async () => (await statusJson()).versions.find((v) => v.buildId === builtId)?.state === 'draining', 'the first version to be draining');
    const draining = await deploy('status');
    expect(row(draining.output, 'next-build').slice(0, 2)).toEqual(['next-build', 'current']);
    expect(row(draining.output, builtId)).toEqual([builtId, 'draining', '1/1', '2', '1', 'keep its workers until drained']);
    const pinned = await deploy('retire', builtId);
    expect(pinned.code).toBe(3);
    expect(pinned.output).toContain(`refused: tf-${taskQueue}:${builtId} still runs 2 order(s) and 1 coffee order(s) pinned to it: wait until it is drained`);

    // Once its orders end it is drained; with its workers still polling, retiring waits for them.
    for (const order of orders) await order.executeUpdate(cancelOrder, { args: [{ reason: 'test over' }] });
    await coffee.executeUpdate(cancelCoffee);
    await waitUntil(async () => (await statusJson()).versions.find((v) => v.buildId === builtId)?.state === 'drained', 'the first version to be drained');
    expect(row((await deploy('status')).output, builtId)).toEqual([builtId, 'drained', '1/1', '0', '0', `stop its workers, then: npm run deploy:retire -- ${builtId}`]);
    const polling = await deploy('retire', builtId);
    expect(polling.code).toBe(3);
    expect(polling.output).toMatch(/cannot be retired yet: its workers are still polling/);
  }, 180_000);

  it('says promptly that Temporal cannot be reached, and what it takes', async () => {
    const away = await run(process.execPath, [distEntry('ops/deploy.js'), 'status'], { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    expect(away.code).toBe(1);
    expect(away.output).toMatch(/Temporal cannot be reached at 127\.0\.0\.1:\d+/);
    const usage = await deploy('retire');
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('usage: deploy.js status [--json] | deploy.js retire <build-id>');
  });
});
