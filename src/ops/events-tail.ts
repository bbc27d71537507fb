// `npm run events:tail [-- --durable NAME --subject shop.coffee.> --store FILE]`: follows the order
// events stream, one line per event. The example consumer for the shop's other systems: durable
// (it resumes where it stopped), explicit acks, redelivery with backoff, a dead-letter subject,
// and an idempotent handler that keeps each order's latest status in its own SQLite file.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { settingsOrExit } from '../platform/config';
import { consumeEvents } from '../platform/messaging/consumer';
import { ProcessedEvents } from '../platform/messaging/processed-events';
import { connectToNats, deadLetterSubject, shownNatsUrl } from '../platform/messaging/stream';
import { stopOnSignals } from '../platform/shutdown';
import { formatCents, type ShopEvent } from '../shop';

export function describeEvent(event: ShopEvent): string {
  const total = event.totalCents === null ? '-' : formatCents(event.totalCents);
  const why = event.failure ? `  (${event.failure.type}: ${event.failure.message})` : '';
  return `${event.occurredAt}  ${event.type.padEnd(26)} ${event.orderId}  #${event.sequence}  ${total}  payment ${event.paymentStatus.toLowerCase()}${why}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      durable: { type: 'string', default: 'events-tail' },
      subject: { type: 'string', multiple: true, default: [] },
      store: { type: 'string' },
      'max-deliveries': { type: 'string', default: '5' },
    },
  });
  const durable = values.durable;
  const maxDeliveries = Number(values['max-deliveries']);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(durable) || !(maxDeliveries >= 1 && maxDeliveries <= 100)) {
    console.error('usage: npm run events:tail -- [--durable <letters, digits, - or _>] [--subject shop.order.>] [--store <file>] [--max-deliveries 1-100]');
    process.exit(2);
  }
  const settings = settingsOrExit();
  const store = new ProcessedEvents(values.store ?? path.resolve(settings.DATA_DIR, `${durable}.db`));
  console.error(`following ${settings.NATS_STREAM} at ${shownNatsUrl(settings.NATS_URL)} as "${durable}"; dead letters go to ${deadLetterSubject(durable)}`);
  const nc = await connectToNats(settings.NATS_URL, `temporal-fulfillment ${durable}`);
  const consumer = await consumeEvents(nc, {
    stream: settings.NATS_STREAM,
    maxAgeDays: settings.NATS_STREAM_MAX_AGE_DAYS,
    durable,
    filterSubjects: values.subject,
    maxDeliveries,
    handle: async (event) => {
      // Printed only once the event is recorded as handled: a redelivery prints nothing.
      if (store.once(event, ProcessedEvents.keepLatestStatus(event))) console.log(describeEvent(event));
    },
    onProblem: (p) => console.error(`event ${p.event}, delivery ${p.delivery}: ${p.error}${p.deadLettered ? ` (sent to ${deadLetterSubject(durable)})` : ''}`),
  });
  stopOnSignals(async () => {
    await consumer.stop();
    await nc.drain().catch(() => undefined);
    store.close();
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
