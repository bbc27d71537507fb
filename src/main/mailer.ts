// `npm run start:mailer`: the mail relay alone. Several may run: each message is leased to one.
import { settingsOrExit } from '../platform/config';
import { openDatabase } from '../platform/db/database';
import { createLogger } from '../platform/observability/logger';
import { stopOnSignals } from '../platform/shutdown';
import { createServices } from '../services';
import { mailRelay } from '../services/mailer';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const logger = createLogger('mailer', settings.LOG_LEVEL);
  const db = await openDatabase(settings.database);
  const relay = mailRelay(settings, createServices(db).notificationOutbox);
  relay.start();
  logger.info({ smtp: new URL(settings.SMTP_URL).host }, 'mail relay running');
  stopOnSignals(async () => {
    await relay.stop();
    await db.destroy();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
