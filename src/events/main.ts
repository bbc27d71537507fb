// `npm run start:publisher`: relays the events outbox to NATS JetStream. One is enough; a second
// only duplicates work (the stream drops its copies) and never reorders an order's events.
import { settingsOrExit } from '../config';
import { openDatabase } from '../db/database';
import { createLogger } from '../observability/logger';
import { stopOnSignals } from '../shutdown';
import { EventOutbox } from '../services';
import { eventPublisher } from './publishing';

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
