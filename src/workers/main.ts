// Worker process entry point: connects to Temporal and the database, runs until SIGINT/SIGTERM.
import { NativeConnection } from '@temporalio/worker';
import { settingsOrExit, TASK_QUEUE } from '../config';
import { openDatabase } from '../db/database';
import { createServices } from '../services';
import { createFulfillmentWorker } from './worker';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const db = await openDatabase(settings.database);
  const connection = await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
  const worker = await createFulfillmentWorker({
    connection,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: TASK_QUEUE,
    services: createServices(db),
  });
  console.log(`worker polling task queue "${TASK_QUEUE}" at ${settings.TEMPORAL_ADDRESS}`);
  // The SDK shuts the worker down on SIGINT/SIGTERM: running activities finish, then run() returns.
  await worker.run();
  await connection.close();
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
