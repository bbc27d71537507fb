// API process entry point: serves HTTP until SIGINT/SIGTERM, then drains and exits.
import { Client, Connection } from '@temporalio/client';
import { settingsOrExit } from '../config';
import { openDatabase } from '../db/database';
import { createServices } from '../services';
import { apiDeps } from './deps';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const db = await openDatabase(settings.database);
  // Lazy: the API comes up even while Temporal is away, and /readyz says so.
  const connection = Connection.lazy({ address: settings.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
  const api = await startApiServer(
    apiDeps(settings, { client, db, services: createServices(db) }),
    settings.PORT,
  );
  console.log(`API listening on ${api.url}`);
  const stop = async () => {
    await api.close();
    await connection.close();
    await db.destroy();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
