// The project's worker as a separate process (dist/main/worker.js), and reading what the
// server recorded of its activities: for tests that stop or kill workers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Db, openDatabase } from '../../src/platform/db/database';
import { createServices, type Services } from '../../src/services';
import { type Spawned, spawnNode, waitForOutput } from './processes';
import { connectTestTemporal, type TestTemporal } from './temporal';
import { waitFor } from './wait';

export async function startWorkerProcess(opts: { taskQueue: string; dataDir: string; gatewayLatencyMs?: number; env?: Record<string, string> }): Promise<Spawned> {
  const worker = spawnNode('main/worker.js', {
    ...inject('temporalEnv'),
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    DATA_DIR: opts.dataDir,
    SIMULATED_GATEWAY_LATENCY_MS: String(opts.gatewayLatencyMs ?? 0),
    WORKER_METRICS_PORT: '0',
    // The reconciliation's Schedule would start a workflow of its own on the test's queue every 15
    // minutes; test/reconciliation/worker.test.ts asks for it.
    RECONCILE_EVERY_MINUTES: '0',
    ...opts.env,
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

export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(check, (holds) => holds, { what, timeoutMs });
}

export interface WorkerProcessFixture {
  /** The DATA_DIR the worker processes are given; its business.db is `services`' database. */
  dataDir: string;
  temporal: TestTemporal;
  services: Services;
}

/**
 * For a test file that runs workers as processes: a data folder, the services over its business
 * database (opened here too, as a second process would), and a client. Filled in beforeAll.
 */
export function useWorkerProcessFixture(): WorkerProcessFixture {
  const fixture = { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tf-workers-')) } as WorkerProcessFixture;
  let db: Db | undefined;
  beforeAll(async () => {
    fixture.temporal = await connectTestTemporal();
    db = await openDatabase({ filename: path.join(fixture.dataDir, 'business.db') });
    fixture.services = createServices(db);
  });
  afterAll(async () => {
    await fixture.temporal?.close();
    await db?.destroy();
    fs.rmSync(fixture.dataDir, { recursive: true, force: true });
  });
  return fixture;
}
