// The project's worker as a separate process (dist/workers/main.js), and reading what the
// server recorded of its activities: for tests that stop or kill workers.
import type { WorkflowHandle } from '@temporalio/client';
import { inject } from 'vitest';
import { type Spawned, spawnNode, waitForOutput } from './processes';

export async function startWorkerProcess(opts: { taskQueue: string; dataDir: string; gatewayLatencyMs?: number }): Promise<Spawned> {
  const worker = spawnNode('workers/main.js', {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    DATA_DIR: opts.dataDir,
    SIMULATED_GATEWAY_LATENCY_MS: String(opts.gatewayLatencyMs ?? 0),
    WORKER_METRICS_PORT: '0',
  });
  await waitForOutput(worker, /worker polling/);
  return worker;
}

export async function stopWorkerProcess(worker: Spawned): Promise<void> {
  if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  await worker.exited;
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

export interface ActivityAttempt {
  activity: string;
  /** The attempt number the server last started. */
  attempt: number;
  outcome: 'running' | 'completed' | 'failed' | 'timedOut';
}

/** Each activity the workflow scheduled, with its last started attempt and how it ended. */
export async function activityAttempts(handle: WorkflowHandle): Promise<ActivityAttempt[]> {
  const events: HistoryEvent[] = (await handle.fetchHistory()).events ?? [];
  const byScheduled = new Map<string, ActivityAttempt>();
  for (const e of events) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) byScheduled.set(String(e.eventId), { activity: name, attempt: 0, outcome: 'running' });
    const started = e.activityTaskStartedEventAttributes;
    if (started) byScheduled.get(String(started.scheduledEventId))!.attempt = started.attempt ?? 0;
    const ended: [unknown, ActivityAttempt['outcome']][] = [
      [e.activityTaskCompletedEventAttributes?.scheduledEventId, 'completed'],
      [e.activityTaskFailedEventAttributes?.scheduledEventId, 'failed'],
      [e.activityTaskTimedOutEventAttributes?.scheduledEventId, 'timedOut'],
    ];
    for (const [id, outcome] of ended) if (id !== undefined && id !== null) byScheduled.get(String(id))!.outcome = outcome;
  }
  return [...byScheduled.values()];
}

/**
 * The attempt of an activity a worker is running right now, or undefined. The history shows an
 * activity's start only once it has ended; a running one is in the description's pending list.
 */
export async function runningAttempt(handle: WorkflowHandle, activity: string): Promise<number | undefined> {
  const { raw } = await handle.describe();
  const STARTED = 2; // PENDING_ACTIVITY_STATE_STARTED
  const pending = raw.pendingActivities?.find((a) => a.activityType?.name === activity && Number(a.state) === STARTED);
  return pending ? Number(pending.attempt) : undefined;
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
