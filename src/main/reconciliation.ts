// The worker's part in the reconciliation: its thresholds and metrics from the settings, and the
// Schedule that runs it, made sure of as the worker starts.
import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { type NativeConnection, Runtime } from '@temporalio/worker';
import type { Settings } from '../platform/config';
import type { Logger } from '../platform/observability/logger';
import type { ReconciliationSettings } from '../reconciliation/activities';
import { driftKinds } from '../reconciliation/drift';
import { ensureReconcileSchedule, RECONCILE_SCHEDULE_ID } from '../reconciliation/schedule';

/**
 * The thresholds, and `shop_reconciliation_drift{kind}`: what the latest run found of each kind
 * (the alert ReconciliationDrift in deploy/prometheus/alerts.yml reads it).
 */
export function reconciliationSettings(settings: Settings): ReconciliationSettings {
  const drift = Runtime.instance().metricMeter.createGauge('shop_reconciliation_drift', 'int', '', 'what the latest reconciliation run found, by kind of drift');
  return {
    outboxMinutes: settings.RECONCILE_OUTBOX_MINUTES,
    dispatchDeadlineHours: settings.DISPATCH_DEADLINE_HOURS,
    found: (counts) => {
      for (const kind of driftKinds) drift.set(counts[kind], { kind });
    },
  };
}

/**
 * Creates the Schedule, or finds it; a failure is logged, never fatal: the next worker start tries
 * again. With RECONCILE_EVERY_MINUTES=0 this worker leaves the Schedule alone (one that exists runs on).
 */
export async function scheduleReconciliation(connection: NativeConnection, codec: PayloadCodec, settings: Settings, logger: Logger): Promise<void> {
  if (settings.RECONCILE_EVERY_MINUTES === 0) {
    logger.info({ schedule: RECONCILE_SCHEDULE_ID }, 'reconciliation not scheduled by this worker (RECONCILE_EVERY_MINUTES=0)');
    return;
  }
  const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter: { payloadCodecs: [codec] } });
  try {
    const outcome = await ensureReconcileSchedule(client, { taskQueue: settings.TEMPORAL_TASK_QUEUE, everyMinutes: settings.RECONCILE_EVERY_MINUTES });
    logger.info({ schedule: RECONCILE_SCHEDULE_ID, everyMinutes: settings.RECONCILE_EVERY_MINUTES, outcome }, 'reconciliation scheduled');
  } catch (err) {
    logger.warn({ schedule: RECONCILE_SCHEDULE_ID, error: String(err) }, 'could not make sure of the reconciliation schedule');
  }
}
