// Worker process entry point: connects to Temporal and the database, runs until SIGINT/SIGTERM,
// lets the activities in flight finish, then exits 0.
import { NativeConnection } from '@temporalio/worker';
import { settingsOrExit } from '../config';
import { createLogger } from '../observability/logger';
import { installTemporalRuntime } from '../observability/runtime';
import { startTracing } from '../observability/tracing';
import { openDatabase } from '../db/database';
import { createServices } from '../services';
import { prebuiltBundle } from './bundle';
import { createFulfillmentWorker } from './worker';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const logger = createLogger('worker', settings.LOG_LEVEL);
  installTemporalRuntime(logger, { metricsPort: settings.WORKER_METRICS_PORT, workerStopsOnSignals: true });
  const tracing = startTracing('temporal-fulfillment-worker', settings.OTEL_EXPORTER_OTLP_ENDPOINT);
  const db = await openDatabase(settings.database);
  const connection = await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
  const worker = await createFulfillmentWorker({
    connection,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    services: createServices(db, { gatewayLatencyMs: settings.SIMULATED_GATEWAY_LATENCY_MS }),
    workflowBundle: prebuiltBundle(),
    tracing,
  });
  logger.info({ taskQueue: settings.TEMPORAL_TASK_QUEUE, temporal: settings.TEMPORAL_ADDRESS, metricsPort: settings.WORKER_METRICS_PORT }, 'worker polling');
  // The SDK begins shutdown on SIGINT/SIGTERM: polling stops, running activities finish (up to
  // shutdownGraceTime), then run() returns.
  await worker.run();
  await connection.close();
  await db.destroy();
  await tracing.shutdown();
  logger.info('worker stopped');
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
