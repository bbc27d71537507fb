// The Temporal Schedule that runs the reconciliation every RECONCILE_EVERY_MINUTES. Every worker
// makes sure of it as it starts: the first creates it, the others find it (and bring its interval
// and task queue in line with their settings). A run still going when the next is due makes the next one skip.
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { reconcileShop } from './reconcile-shop';

export const RECONCILE_SCHEDULE_ID = 'reconcile-shop';

export async function ensureReconcileSchedule(
  client: Client,
  { taskQueue, everyMinutes, scheduleId = RECONCILE_SCHEDULE_ID }: { taskQueue: string; everyMinutes: number; scheduleId?: string },
): Promise<'created' | 'kept' | 'updated'> {
  const every = everyMinutes * 60_000;
  try {
    await client.schedule.create<typeof reconcileShop>({
      scheduleId,
      spec: { intervals: [{ every }] },
      action: { type: 'startWorkflow', workflowType: 'reconcileShop', taskQueue, args: [], workflowId: `${scheduleId}-run` },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      memo: { what: 'compares money, stock, the outboxes and the orders; heals what is safe, reports the rest (docs/OPERATIONS.md, "Reconciliation")' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const intervals = current.spec.intervals ?? [];
  const sameQueue = current.action.type === 'startWorkflow' && current.action.taskQueue === taskQueue;
  if (sameQueue && intervals.length === 1 && intervals[0]!.every === every) return 'kept';
  await handle.update((schedule) => ({ ...schedule, spec: { intervals: [{ every }] }, action: { ...schedule.action, taskQueue } }));
  return 'updated';
}
