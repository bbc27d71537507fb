// Worker process entry point: connects to Temporal and the database, runs until SIGINT/SIGTERM,
// lets the activities in flight finish, then exits 0.
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeConnection } from '@temporalio/worker';
import { encryptionCodec, orExit, settingsOrExit } from '../platform/config';
import { openDatabase } from '../platform/db/database';
import { createLogger, type Logger } from '../platform/observability/logger';
import { installTemporalRuntime } from '../platform/observability/runtime';
import { startTracing } from '../platform/observability/tracing';
import { paymentActivitiesPerSecond } from '../platform/payment-settings';
import type { TemporalTarget } from '../platform/temporal/connection';
import { type DeploymentApi, promoteIfFirst } from '../platform/temporal/deployment';
import { versionName, type WorkerVersion, workerVersion } from '../platform/temporal/versioning';
import { createServices } from '../services';
import { workflowBuildId } from './bundle';
import { scheduleReconciliation } from './reconciliation';
import { serviceOptions, workerOptions } from './service-options';
import { ShopWorkers } from './shop-worker';

async function main(): Promise<void> {
  const settings = settingsOrExit('PAYLOAD_ENCRYPTION_KEYS');
  const logger = createLogger('worker', settings.LOG_LEVEL);
  installTemporalRuntime(logger, { metricsPort: settings.WORKER_METRICS_PORT, workerStopsOnSignals: true });
  // After the runtime: a Stripe worker's breaker metrics are the runtime's.
  const options = orExit(() => serviceOptions(settings));
  const tracing = startTracing('temporal-fulfillment-worker', settings.OTEL_EXPORTER_OTLP_ENDPOINT);
  const traced = settings.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
  const db = await openDatabase(settings.database);
  const connection = await connectPatiently(settings.temporal, logger);
  if (!connection) {
    await db.destroy();
    logger.info('worker stopped before Temporal answered');
    process.exit(0);
  }
  const codec = encryptionCodec(settings);
  const bundleBuildId = await workflowBuildId();
  const version = workerVersion(settings, bundleBuildId);
  const workers = await ShopWorkers.create(workerOptions(settings, { connection, version, services: createServices(db, options), codec, tracing, traced }));
  // The SDK begins shutdown on SIGINT/SIGTERM: polling stops, running activities finish (up to
  // shutdownGraceTime), then run() returns.
  const running = workers.run();
  await scheduleReconciliation(connection, codec, settings, logger);
  const routing = settings.TEMPORAL_PROMOTE_FIRST_VERSION ? await promoteFirst({ workflowService: connection.workflowService, namespace: settings.temporal.namespace }, version, logger) : 'left to the operator';
  // A build id set by hand is logged beside the code's own: the two differing is how a changed
  // workflow slips under an old version (docs/OPERATIONS.md, "Deploying a change").
  logger.info({ taskQueue: settings.TEMPORAL_TASK_QUEUE, paymentStepsPerSecond: paymentActivitiesPerSecond(settings) ?? 'no limit', version: versionName(version), codeBuildId: bundleBuildId, routing, temporal: settings.temporal.connection.address, connection: settings.temporal.description, metricsPort: settings.WORKER_METRICS_PORT }, 'worker polling');
  await running;
  await connection.close();
  await db.destroy();
  await tracing.shutdown();
  logger.info('worker stopped');
  process.exit(0);
}

/**
 * Makes this worker's version current when its deployment has none (a first install), before the
 * worker says it is polling. A failure is logged, never fatal: the operator can promote by hand.
 */
async function promoteFirst(api: DeploymentApi, version: WorkerVersion, logger: Logger): Promise<string> {
  try {
    if (await promoteIfFirst(api, version)) return 'made current: the deployment had no current version';
    return `not current until promoted: temporal worker deployment set-current-version --deployment-name ${version.deploymentName} --build-id ${version.buildId}`;
  } catch (err) {
    logger.warn({ version: versionName(version), error: String(err) }, 'could not make the first version current');
    return 'unknown: see the warning above';
  }
}

/** Between attempts to reach Temporal: from half a second, doubling, to at most this. */
const MAX_CONNECT_BACKOFF_MS = 10_000;

/**
 * A worker started while Temporal is away (a deploy that starts both, a server restart) waits for
 * it rather than exiting: it retries with backoff, saying what it waits for, until it connects.
 * SIGINT or SIGTERM while it waits ends the wait: undefined. Once connected, the SDK rides out
 * later outages by itself.
 */
async function connectPatiently(temporal: TemporalTarget, logger: Logger): Promise<NativeConnection | undefined> {
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    for (let attempt = 1, waitMs = 500; !stopped.signal.aborted; attempt++, waitMs = Math.min(waitMs * 2, MAX_CONNECT_BACKOFF_MS)) {
      try {
        return await NativeConnection.connect(temporal.connection);
      } catch (err) {
        logger.warn({ temporal: temporal.connection.address, connection: temporal.description, attempt, retryInMs: waitMs, error: String(err) }, 'waiting for Temporal');
        await sleep(waitMs, undefined, { signal: stopped.signal }).catch(() => undefined);
      }
    }
    return undefined;
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
