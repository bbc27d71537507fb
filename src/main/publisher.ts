// `npm run start:publisher`: relays the events outbox to NATS JetStream. One is enough; a second
// only duplicates work (the stream drops its copies) and never reorders an order's events.
import { settingsOrExit } from '../platform/config';
import { openDatabase } from '../platform/db/database';
import { createLogger } from '../platform/observability/logger';
import { stopOnSignals } from '../platform/shutdown';
import { EventOutbox } from '../services';
import { eventPublisher } from '../services/event-publishing';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const logger = createLogger('publisher', settings.LOG_LEVEL);
  const db = await openDatabase(settings.database);
  const running = eventPublisher(settings, new EventOutbox(db), logger);
  stopOnSignals(async () => {
    await running.stop();
    await db.destroy();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
