// The reconciliation in the worker process as deployed: the worker makes sure of the Schedule as
// it starts, and serves what the latest run found as `shop_reconciliation_drift{kind}` beside the
// SDK's metrics, the gauge the alert ReconciliationDrift reads.
import { describe, expect, it } from 'vitest';
import { driftKinds } from '../../src/reconciliation/drift';
import { reconcileShop } from '../../src/workflows';
import { uniqueId } from '../support/database';
import { freePort, waitForOutput } from '../support/processes';
import { samples } from '../support/prometheus';
import { startWorkerProcess, stopWorkerProcess, useWorkerProcessFixture } from '../support/worker-process';

const fixture = useWorkerProcessFixture();

describe('a worker process', () => {
  it('schedules the reconciliation as it starts, and serves what a run found, by kind', async () => {
    const taskQueue = uniqueId('tq-reconcile');
    const metricsPort = await freePort();
    const worker = await startWorkerProcess({ taskQueue, dataDir: fixture.dataDir, env: { WORKER_METRICS_PORT: String(metricsPort), RECONCILE_EVERY_MINUTES: '15' } });
    try {
      await waitForOutput(worker, /reconciliation scheduled/);
      // Stock held for an order no workflow has: one drift, healed.
      await fixture.services.inventory.upsertItem({ sku: 'RECON-MUG', name: 'Mug', priceCents: 1000, available: 3 });
      await fixture.services.inventory.reserve({ idempotencyKey: uniqueId('orphan'), orderId: uniqueId('orphan'), items: [{ sku: 'RECON-MUG', quantity: 1 }] });

      const report = await fixture.temporal.client.workflow.execute(reconcileShop, { taskQueue, workflowId: uniqueId('reconcile') });

      expect(report.counts['stock-held-for-no-open-order']).toBe(1);
      const served = samples(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), 'shop_reconciliation_drift');
      expect(Object.fromEntries(served.map((s) => [s.labels.kind, s.value]))).toEqual(Object.fromEntries(driftKinds.map((kind) => [kind, report.counts[kind]])));
    } finally {
      await stopWorkerProcess(worker);
    }
  });
});
