import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { orderKind } from '../../../src/orders/kind';
import { openDatabase } from '../../../src/platform/db/database';
import { createServices } from '../../../src/services';
import { orderFulfillment } from '../../../src/workflows';
import { orderInput, stockCatalog } from '../../orders/fixtures';
import { uniqueId } from '../../support/database';
import { freePort, spawnNode, waitForOutput } from '../../support/processes';
import { connectTestTemporal } from '../../support/temporal';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-telemetry-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('a worker process', () => {
  it('logs JSON lines that carry the workflow and order ids, and serves the SDK metrics on its own port', async () => {
    const temporal = await connectTestTemporal();
    const db = await openDatabase({ filename: path.join(dataDir, 'business.db') });
    const taskQueue = uniqueId('tq-telemetry');
    const metricsPort = await freePort();
    const worker = spawnNode('main/worker.js', {
      ...inject('temporalEnv'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      WORKER_METRICS_PORT: String(metricsPort),
    });
    try {
      await waitForOutput(worker, /worker polling/);
      const input = orderInput(await stockCatalog(createServices(db)), { paymentToken: 'tok_declined' });
      const handle = await temporal.client.workflow.start(orderFulfillment, { workflowId: orderKind.workflowId(input.orderId), taskQueue, args: [input] });
      await handle.result();
      await waitForOutput(worker, /"status":"FAILED"/);

      const lines = worker.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const statusLines = lines.filter((l) => l.msg === 'order status' && l.workflowId === handle.workflowId);
      expect(statusLines.map((l) => l.status)).toEqual(['INVENTORY_RESERVED', 'FAILED']);
      expect(statusLines[0]).toMatchObject({ orderId: input.orderId, component: 'worker', workflowType: 'orderFulfillment', level: 30 });

      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^temporal_workflow_completed\{.*task_queue="[^"]+".*\} [1-9]/m);
      expect(metrics).toContain(taskQueue);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await db.destroy();
      await temporal.close();
    }
  });
});
