// Worker process entry point: connects to Temporal and the database, runs until SIGINT/SIGTERM,
// lets the activities in flight finish, then exits 0.
import { NativeConnection } from '@temporalio/worker';
import { settingsOrExit } from '../config';
import { openDatabase } from '../db/database';
import { createServices } from '../services';
import { prebuiltBundle } from './bundle';
import { createFulfillmentWorker } from './worker';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const db = await openDatabase(settings.database);
  const connection = await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
  const worker = await createFulfillmentWorker({
    connection,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    services: createServices(db, { gatewayLatencyMs: settings.SIMULATED_GATEWAY_LATENCY_MS }),
    workflowBundle: prebuiltBundle(),
  });
  console.log(`worker polling task queue "${settings.TEMPORAL_TASK_QUEUE}" at ${settings.TEMPORAL_ADDRESS}`);
  // The SDK begins shutdown on SIGINT/SIGTERM: polling stops, running activities finish (up to
  // shutdownGraceTime), then run() returns.
  await worker.run();
  await connection.close();
  await db.destroy();
  console.log('worker stopped');
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
