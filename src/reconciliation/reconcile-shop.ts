// The reconciliation, run by a Temporal Schedule (./schedule.ts): find where money, stock, the
// outboxes and the orders disagree, heal what is safe to heal, and record the report. Each
// activity is idempotent, so a run that is retried or repeated heals nothing twice.
import { proxyActivities, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { ReconciliationActivities } from './activities';
import { type Drift, type ReconciliationReport } from './drift';

const { findDrift, healDrift, recordReconciliation } = proxyActivities<ReconciliationActivities>({
  // A scan reads the business database and Temporal's visibility: a minute only trips on a stuck one.
  startToCloseTimeout: '1 minute',
  // The next scheduled run starts over anyway: retry for a few minutes, then let the run fail.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/** A run takes seconds: it finishes on the worker version it started on, and the next run takes the newest. */
setWorkflowOptions({ versioningBehavior: 'PINNED' }, reconcileShop);
export async function reconcileShop(): Promise<ReconciliationReport> {
  const { runId, startTime } = workflowInfo();
  const found = await findDrift();
  const drift: Drift[] = [];
  for (const d of found) drift.push(d.heal ? { ...d, healed: await healDrift({ runId, drift: d }) } : d);
  return recordReconciliation({ runId, startedAt: startTime.toISOString(), drift });
}
