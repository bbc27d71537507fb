// API process entry point: serves HTTP until SIGINT/SIGTERM, then drains and exits.
import { encryptionCodec, orExit, settingsOrExit } from '../platform/config';
import { stripeWebhookSecret } from '../platform/payment-settings';
import { openDatabase } from '../platform/db/database';
import { createLogger } from '../platform/observability/logger';
import { startTracing } from '../platform/observability/tracing';
import { stopOnSignals } from '../platform/shutdown';
import { connectLazily, createTemporalClient } from '../platform/temporal/client';
import { createServices } from '../services';
import { apiDeps } from './deps';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const settings = settingsOrExit('STAFF_TOKEN_SECRET', 'CARRIER_WEBHOOK_SECRET', 'PAYLOAD_ENCRYPTION_KEYS');
  orExit(() => stripeWebhookSecret(settings));
  const logger = createLogger('api', settings.LOG_LEVEL);
  const tracing = startTracing('temporal-fulfillment-api', settings.OTEL_EXPORTER_OTLP_ENDPOINT);
  const db = await openDatabase(settings.database);
  const connection = connectLazily(settings.temporal.connection);
  const client = createTemporalClient(connection, settings.temporal.namespace, encryptionCodec(settings));
  const api = await startApiServer(apiDeps(settings, { client, db, services: createServices(db), logger }), settings.PORT);
  logger.info({ url: api.url }, 'API listening');
  // Stop accepting, let requests in flight finish, then let go of Temporal and the database.
  stopOnSignals(async () => {
    logger.info('API stopping');
    await api.close();
    await connection.close();
    await db.destroy();
    await tracing.shutdown();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
