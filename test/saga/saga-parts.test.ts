// The saga's parts, each on its own in a real worker: the journal records steps and
// compensations, the compensations run newest first and one that fails does not stop the others,
// the status events reach the outbox in sequence before the next step, the view reaches the memo.
import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopEvent } from '../../src/shop';
import { uniqueId } from '../support/database';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { sagaParts } from './saga-parts/workflow';

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(() => temporal?.close());

describe('the saga parts', () => {
  it('journal, undo newest first past a failure, write status events in order, and publish the view', async () => {
    const undone: string[] = [];
    const recorded: ShopEvent[][] = [];
    const taskQueue = uniqueId('tq-parts');
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'saga-parts', 'workflow.ts'), logger: new DefaultLogger('WARN') });
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue,
      workflowBundle: { code },
      activities: {
        undo: async (name: string) => {
          undone.push(name);
          if (name === 'second') throw new Error('the second cannot be undone');
        },
        recordOrderEvents: async ({ events }: { events: ShopEvent[] }) => {
          recorded.push(events);
        },
      },
    });
    // A client without the shop's codec: this workflow's payloads are plain.
    const client = new Client({ connection: temporal.client.connection });
    const handle = await client.workflow.start(sagaParts, { taskQueue, workflowId: uniqueId('parts') });
    const result = await worker.runUntil(handle.result());

    expect(undone).toEqual(['third', 'second', 'first']);
    expect(result.allUndone).toBe(false);
    expect(result.journal).toEqual({
      steps: ['first:COMPLETED', 'second:COMPLETED', 'third:COMPLETED'],
      compensations: ['undo-third:COMPLETED', 'undo-second:FAILED', 'undo-first:COMPLETED'],
    });
    // Each status change was written before the next step, in one local activity each, numbered in order.
    expect(recorded.map((batch) => batch.map((e) => [e.sequence, e.status, e.type]))).toEqual([
      [[1, 'FIRST', 'order.first']],
      [[2, 'SECOND', 'order.second']],
    ]);
    // The view as it stood at the last wait, in the memo where the API reads it.
    expect((await handle.describe()).memo?.view).toEqual({ status: 'THIRD' });
  });
});
