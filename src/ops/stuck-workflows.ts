// `npm run --silent workflows:stuck`: lists running workflows whose workflow task keeps failing
// (a nondeterminism after a deploy, a bug in workflow code), why, and the reset that restarts each.
//   npm run --silent workflows:stuck -- [--task-queue fulfillment] [--limit 1000]
// Exit 0: none stuck. Exit 3: some listed, so a cron job or a runbook step can tell.
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { encryptionCodec, settingsOrExit } from '../platform/config';

/** Each running workflow costs one DescribeWorkflowExecution: 1000 scan in seconds. */
export const DEFAULT_SCAN_LIMIT = 1000;
/** Describes in flight at once: a scan finishes quickly without crowding the frontend. */
const DESCRIBE_BATCH = 10;
/**
 * Attempt 1 is every task's first try. The server schedules attempt 2 only once a try has failed
 * or timed out, and the SDK reports just the first failure, so from 2 on the task is failing.
 */
const FAILING_FROM_ATTEMPT = 2;
export const EXIT_STUCK = 3;

export interface StuckWorkflow {
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  /** The attempt the server is on for the workflow task it keeps retrying. */
  attempts: number;
  /** The last failed or timed-out workflow task in the history: its cause and message. */
  failure: { cause: string; message: string };
  /** The WorkflowTaskCompleted event to reset to; none when no task has ever completed. */
  resetEventId?: number;
}

export interface StuckScan {
  /** Running workflows looked at. */
  scanned: number;
  /** False when there were more running workflows than the limit. */
  complete: boolean;
  stuck: StuckWorkflow[];
}

export interface ScanOptions {
  /** Only workflows on this task queue: the one the alert names. */
  taskQueue?: string;
  /** At most this many running workflows are described; default DEFAULT_SCAN_LIMIT. */
  limit?: number;
}

/** Running workflows of the client's namespace whose workflow task keeps failing. */
export async function findStuckWorkflows(client: Client, opts: ScanOptions = {}): Promise<StuckScan> {
  const limit = opts.limit ?? DEFAULT_SCAN_LIMIT;
  const running = await firstRunning(client, opts.taskQueue, limit + 1);
  const scanned = running.slice(0, limit);
  const stuck: StuckWorkflow[] = [];
  for (let i = 0; i < scanned.length; i += DESCRIBE_BATCH) {
    const batch = await Promise.all(scanned.slice(i, i + DESCRIBE_BATCH).map((info) => ifStuck(client, info)));
    stuck.push(...batch.filter((s) => s !== undefined));
  }
  return { scanned: scanned.length, complete: running.length <= limit, stuck };
}

async function firstRunning(client: Client, taskQueue: string | undefined, count: number): Promise<WorkflowExecutionInfo[]> {
  const query = `ExecutionStatus = 'Running'${taskQueue ? ` AND TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'` : ''}`;
  const found: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query })) {
    found.push(info);
    if (found.length >= count) break;
  }
  return found;
}

async function ifStuck(client: Client, info: WorkflowExecutionInfo): Promise<StuckWorkflow | undefined> {
  const handle = client.workflow.getHandle(info.workflowId, info.runId);
  const attempts = Number((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0);
  if (attempts < FAILING_FROM_ATTEMPT) return undefined;
  const { events } = JSON.parse(historyToJSON(await handle.fetchHistory())) as { events: HistoryEvent[] };
  const failure = lastTaskFailure(events);
  return {
    namespace: client.options.namespace,
    workflowId: info.workflowId,
    runId: info.runId,
    workflowType: info.type,
    taskQueue: info.taskQueue,
    attempts,
    failure,
    resetEventId: resetPoint(events, failure.cause),
  };
}

/** The fields read here of a history event in its JSON form (enums by name, ids as strings). */
export interface HistoryEvent {
  eventId: string;
  eventType: string;
  workflowTaskFailedEventAttributes?: { cause?: string; failure?: { message?: string } };
}

/** The cause a nondeterminism is recorded with, as lastTaskFailure names it. */
export const NONDETERMINISM = 'NON_DETERMINISTIC_ERROR';

export function lastTaskFailure(events: HistoryEvent[]): StuckWorkflow['failure'] {
  const last = [...events].reverse().find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_FAILED' || e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT');
  if (!last) return { cause: 'UNKNOWN', message: 'no failed workflow task in the history yet' };
  const failed = last.workflowTaskFailedEventAttributes;
  if (!failed) return { cause: 'TIMED_OUT', message: 'no worker completed the workflow task within its timeout' };
  return { cause: (failed.cause ?? 'UNSPECIFIED').replace('WORKFLOW_TASK_FAILED_CAUSE_', ''), message: failed.failure?.message ?? '' };
}

/**
 * Where a reset keeps the history up to. A nondeterminism means the code now deployed gives
 * other commands for events already recorded, somewhere before the failing task: the last
 * completed task would keep those events and fail again. The first completed task is before any
 * of them: the new run does the whole workflow again on today's code, which is safe here because
 * every step's idempotency key is the workflow id and the step, the same in the new run. Any
 * other failure is most often set off by the failing task's own new events (a signal the code
 * cannot handle), so resetting just before that task keeps everything else.
 */
export function resetPoint(events: HistoryEvent[], cause: string): number | undefined {
  const completed = events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').map((e) => Number(e.eventId));
  return cause === NONDETERMINISM ? completed[0] : completed.at(-1);
}

/** The `temporal workflow reset` line for a stuck workflow, quoted for a POSIX shell. */
export function resetCommand(stuck: StuckWorkflow, address: string): string | undefined {
  if (stuck.resetEventId === undefined) return undefined;
  const args = {
    '--address': address,
    '--namespace': stuck.namespace,
    '--workflow-id': stuck.workflowId,
    '--run-id': stuck.runId,
    '--event-id': String(stuck.resetEventId),
    '--reason': `workflow task failing: ${stuck.failure.cause}`,
  };
  return ['temporal workflow reset', ...Object.entries(args).map(([flag, value]) => `${flag} ${shellQuote(value)}`)].join(' ');
}

function shellQuote(value: string): string {
  return /^[\w.:/@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function report(scan: StuckScan, address: string): string {
  const where = `${scan.scanned} running workflow${scan.scanned === 1 ? '' : 's'}${scan.complete ? '' : ' (the first ones only: raise --limit to see all)'}`;
  if (scan.stuck.length === 0) return `No stuck workflows among ${where}.`;
  const blocks = scan.stuck.map((s) =>
    [
      `${s.workflowId} (${s.workflowType}, task queue ${s.taskQueue}): workflow task failing, attempt ${s.attempts}, ${s.failure.cause}`,
      `  ${s.failure.message.split('\n')[0]}`,
      `  ${resetEffect(s)}`,
      ...(s.resetEventId === undefined ? [] : [`  ${resetCommand(s, address)}`]),
    ].join('\n'),
  );
  return [`${scan.stuck.length} stuck workflow${scan.stuck.length === 1 ? '' : 's'} among ${where}:`, ...blocks].join('\n\n');
}

/** What the reset does, for the operator to read before running it. */
function resetEffect(stuck: StuckWorkflow): string {
  if (stuck.resetEventId === undefined) return 'no reset: its first workflow task never completed; deploy a fix and the server retries it';
  return stuck.failure.cause === NONDETERMINISM
    ? 'reset, to run it again from the start on the deployed code (steps already done give back what they did):'
    : 'reset, to redo the failing task on the deployed code once it is fixed:';
}

async function main(): Promise<void> {
  const settings = settingsOrExit('PAYLOAD_ENCRYPTION_KEYS');
  const { values } = parseArgs({ options: { 'task-queue': { type: 'string' }, limit: { type: 'string', default: String(DEFAULT_SCAN_LIMIT) } } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive whole number');
  const connection = await Connection.connect(settings.temporal.connection);
  try {
    // Listing reads each workflow's memo, which is sealed like every payload.
    const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter: { payloadCodecs: [encryptionCodec(settings)] } });
    const scan = await findStuckWorkflows(client, { taskQueue: values['task-queue'], limit });
    // The printed reset names the address; the `temporal` CLI reads the same TEMPORAL_* settings and profile for the rest (TLS, API key).
    console.log(report(scan, settings.temporal.connection.address));
    process.exitCode = scan.stuck.length > 0 ? EXIT_STUCK : 0;
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
