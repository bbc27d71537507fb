// Pins a bug of the Temporal TypeScript SDK 1.24.0: after a worker dies, a query answered by a
// fresh worker runs the workflow ahead of its history; an Update accepted on that state is then
// recorded in an order that the workflow code does not replay.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { uniqueId } from '../support/database';
import { distEntry, spawnNode, waitForOutput } from '../support/processes';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { claimOrder, getStatus, type SmallOrderStatus } from './query-runs-ahead/messages';
import { smallCoffeeOrder } from './query-runs-ahead/workflow';

/**
 * Worker A's sticky queue timeout. Once A is dead, the query waits this long on A's sticky queue
 * before the server hands it to worker B, and so does the workflow task that the payment's
 * result schedules.
 */
const STICKY_TIMEOUT_MS = 3000;

/**
 * When the test delivers the payment's result, counted from sending the query. It must land inside
 * the query's STICKY_TIMEOUT_MS wait on A's queue, so that B gets the result with the query (1 s
 * to spare). The workflow task that the result schedules then waits STICKY_TIMEOUT_MS on A's queue
 * as well, which leaves the query's answer and the claim about 2 s to reach the server before B
 * gets that task, so that the claim rides it.
 */
const PAYMENT_DELAY_MS = 2000;

/** spawnNode resolves its entry under dist/; worker A is a plain script beside this test. */
const WORKER_A_ENTRY = path.relative(distEntry('.'), path.join(__dirname, 'query-runs-ahead', 'worker-a.cjs'));

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];
type ClaimOutcome = { accepted: true; status: SmallOrderStatus } | { accepted: false; reason: string };

let temporal: TestTemporal;
let workflowCode: string;
let scratchDir: string;
let bundlePath: string;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  const workflowsPath = path.join(__dirname, 'query-runs-ahead', 'workflow.ts');
  workflowCode = (await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') })).code;
  scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'query-runs-ahead-'));
  bundlePath = path.join(scratchDir, 'workflows.js');
  fs.writeFileSync(bundlePath, workflowCode);
});

afterAll(async () => {
  await temporal?.close();
  if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
});

/** "activityTaskCompleted" for an event that carries activityTaskCompletedEventAttributes. */
function eventKind(event: HistoryEvent): string {
  return Object.keys(event).find((key) => key.endsWith('EventAttributes'))?.replace(/EventAttributes$/, '') ?? 'unknown';
}

/** The events recorded after the payment's result, in order. */
function afterPayment(events: HistoryEvent[]): HistoryEvent[] {
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'capturePayment');
  const completed = events.findIndex(
    (e) => scheduled && String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled.eventId),
  );
  if (completed < 0) throw new Error(`no result of capturePayment in the history: ${events.map(eventKind).join(', ')}`);
  return events.slice(completed + 1);
}

const kindsAfterPayment = (events: HistoryEvent[]): string[] => afterPayment(events).map(eventKind);

/** When (ms since the epoch) the first workflow task after the payment's result started. */
function firstTaskStartedAfterPayment(events: HistoryEvent[]): number {
  const started = afterPayment(events).find((e) => e.workflowTaskStartedEventAttributes)?.eventTime;
  if (!started) throw new Error('no workflow task started after the payment');
  // Server and test run on one machine: one clock.
  return Number(started.seconds) * 1000 + Math.floor((started.nanos ?? 0) / 1e6);
}

async function claim(handle: WorkflowHandle): Promise<ClaimOutcome> {
  return handle.executeUpdate(claimOrder).then(
    (status) => ({ accepted: true, status }),
    (err) => ({ accepted: false, reason: String(err.cause?.message ?? err.message) }),
  );
}

function replay(events: HistoryEvent[], workflowId: string): Promise<Error | undefined> {
  return Worker.runReplayHistory({ workflowBundle: { code: workflowCode } }, { events }, workflowId).then(
    () => undefined,
    (err: Error) => err,
  );
}

/**
 * The chaos run's situation, step by step. Worker A (its own process) runs the order until the
 * payment is pending and is SIGKILLed. A fresh worker B is asked the status while no workflow
 * task is pending: the query waits on A's sticky queue, the payment's result arrives meanwhile
 * (its workflow task goes to A's sticky queue too), then the query reaches B with that result in
 * the history. The client claims the order on what the query said.
 */
async function killWorkerAThenQueryAndClaim(workerB: { maxCachedWorkflows?: number }) {
  // This small workflow's workers send plaintext: a client without the shop's codec matches them.
  const { nativeConnection } = temporal;
  const client = new Client({ connection: temporal.client.connection });
  const taskQueue = uniqueId('tq-query-ahead');
  const tokenFile = path.join(scratchDir, `${taskQueue}.token`);
  const workerA = spawnNode(WORKER_A_ENTRY, {
    ...inject('temporalEnv'),
    TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE: bundlePath,
    PAYMENT_TOKEN_FILE: tokenFile,
    STICKY_TIMEOUT_MS: String(STICKY_TIMEOUT_MS),
  });
  onTestFinished(() => {
    workerA.child.kill('SIGKILL');
  });
  const handle = await client.workflow.start(smallCoffeeOrder, { taskQueue, workflowId: uniqueId('small-order') });
  onTestFinished(async () => {
    if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test over');
  });

  await waitForOutput(workerA, /payment pending/, 20_000);
  // B is made ready first: the query must start while the server still counts A's sticky poller
  // as alive (10 s after its last poll), or it skips A's queue and goes to B straight away.
  const b = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { code: workflowCode }, ...workerB });
  workerA.child.kill('SIGKILL');
  await workerA.exited;
  const bRunning = b.run();
  onTestFinished(async () => {
    if (b.getState() === 'RUNNING') b.shutdown();
    await bRunning;
  });

  const querySentAt = Date.now();
  let queryAnswered = false;
  const query = handle.query(getStatus).finally(() => (queryAnswered = true));
  await new Promise((r) => setTimeout(r, PAYMENT_DELAY_MS));
  await client.activity.complete(fs.readFileSync(tokenFile), undefined);
  const timing = { queryPendingWhenPaid: !queryAnswered, paidAfterMs: Date.now() - querySentAt, claimSentAt: 0 };
  const answered = await query;
  const historyWhenAnswered = (await handle.fetchHistory()).events ?? [];
  timing.claimSentAt = Date.now();
  const firstClaim = await claim(handle);
  return { handle, answered, historyWhenAnswered, firstClaim, timing };
}

type Run = Awaited<ReturnType<typeof killWorkerAThenQueryAndClaim>>;

const SETUP_MISSED = 'test setup: the run missed its timing window (see PAYMENT_DELAY_MS); this says nothing about the SDK';

/**
 * The run's own preconditions, checked so that a missed window is not mistaken for an SDK change:
 * B got the payment's result with the query (recorded while the query still waited, and before it
 * could leave A's queue), and the claim reached the server before the workflow task after the
 * payment started, so that it rode that task.
 */
function expectWindowHit(run: Run, finalHistory: HistoryEvent[]) {
  expect(run.timing.queryPendingWhenPaid, SETUP_MISSED).toBe(true);
  expect(run.timing.paidAfterMs, SETUP_MISSED).toBeLessThan(STICKY_TIMEOUT_MS);
  expect(kindsAfterPayment(run.historyWhenAnswered), SETUP_MISSED).not.toContain('workflowTaskCompleted');
  expect(run.timing.claimSentAt, SETUP_MISSED).toBeLessThan(firstTaskStartedAfterPayment(finalHistory));
}

/** What the run did, for the log; the margins show a window shrinking before a run misses it. */
function report(label: string, run: Run, history: HistoryEvent[], replayError: Error | undefined): void {
  const claimLead = firstTaskStartedAfterPayment(history) - run.timing.claimSentAt;
  const nondeterminism = replayError?.message.match(/Nondeterminism error: [^"]*/)?.[0] ?? replayError?.message;
  console.info(
    [
      `paid ${run.timing.paidAfterMs} ms into the query's ${STICKY_TIMEOUT_MS} ms wait; claim sent ${claimLead} ms before the next task started`,
      `query answered ${run.answered}; first claim ${JSON.stringify(run.firstClaim)}`,
      `after the payment: ${kindsAfterPayment(history).join(', ')}`,
      `replay: ${replayError ? `${replayError.name}: ${nondeterminism}` : 'ok'}`,
    ]
      .map((line) => `[${label}] ${line}`)
      .join('\n'),
  );
}

describe('a query answered by a fresh worker after the previous worker was SIGKILLed (Temporal TS SDK 1.24.0 bug)', () => {
  it(
    "runs the workflow ahead of its history, accepts an Update on that state, and the history no longer replays: if this fails because the query answers RECEIVED or the history replays, the SDK fixed the bug; update README 'Known issue'",
    async () => {
      const run = await killWorkerAThenQueryAndClaim({});
      const { handle } = run;
      expectWindowHit(run, (await handle.fetchHistory()).events ?? []);

      // No workflow task has handled the payment's result, yet B answered from the state after it
      // and kept that state in its cache, where the claim's validator found it.
      expect(run.answered, 'the query answered the recorded state: the SDK fixed the bug').toBe('QUEUED');
      expect(run.firstClaim).toEqual({ accepted: true, status: 'CLAIMED' });
      expect(await handle.result()).toBe('CLAIMED');

      // The first task after the payment recorded the main code's QUEUED memo, then the Update's
      // acceptance: on replay, the Update's handler runs before the payment's result is applied.
      const history = (await handle.fetchHistory()).events ?? [];
      const kinds = kindsAfterPayment(history);
      const firstCompleted = kinds.indexOf('workflowTaskCompleted');
      expect(kinds.slice(firstCompleted + 1, firstCompleted + 3)).toEqual([
        'workflowPropertiesModified',
        'workflowExecutionUpdateAccepted',
      ]);
      const error = await replay(history, handle.workflowId);
      report('ahead', run, history, error);
      expect(error, "the history replays: the SDK fixed the bug; update README 'Known issue'").toBeInstanceOf(DeterminismViolationError);
      expect(error?.message).toMatch(/Update machine does not handle this event/);
    },
    30_000,
  );

  it(
    "without a workflow cache on the fresh worker, also answers ahead, but refuses the Update until a workflow task has applied the payment, and the history replays: if the query answers RECEIVED, the SDK fixed the bug; update README 'Known issue'",
    async () => {
      const run = await killWorkerAThenQueryAndClaim({ maxCachedWorkflows: 0 });
      const { handle } = run;
      expectWindowHit(run, (await handle.fetchHistory()).events ?? []);

      // B forgot the state the query ran ahead to: the claim's task replays the history, and the
      // claim's validator runs before the payment's result is applied.
      expect(run.answered, 'the query answered the recorded state: the SDK fixed the bug').toBe('QUEUED');
      expect(run.firstClaim).toEqual({ accepted: false, reason: 'claim needs QUEUED, is RECEIVED' });
      // That task did apply the payment: claimed again, the order is QUEUED.
      expect(await claim(handle)).toEqual({ accepted: true, status: 'CLAIMED' });
      expect(await handle.result()).toBe('CLAIMED');

      const history = (await handle.fetchHistory()).events ?? [];
      const error = await replay(history, handle.workflowId);
      report('no cache', run, history, error);
      expect(error).toBeUndefined();
    },
    30_000,
  );
});
