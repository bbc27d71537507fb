// The publisher as a process runs it: NATS from NATS_URL, the stream from the settings.
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { EventOutbox } from '.';
import type { Settings } from '../platform/config';
import { connectToNats, ensureStreams, shownNatsUrl } from '../platform/messaging/stream';
import { EventPublisher } from './event-publisher';

export interface RunningPublisher {
  stop(): Promise<void>;
}

/**
 * Publishes until stopped. NATS that is not up yet (or has no JetStream) is waited for, so the
 * publisher never holds up the processes started with it; the outbox keeps the events meanwhile.
 * Problems are logged at most once every 30 s, so an outage is one line, not hundreds.
 */
export function eventPublisher(settings: Settings, outbox: EventOutbox, logger: Logger): RunningPublisher {
  let stopped = false;
  let nc: NatsConnection | undefined;
  let publisher: EventPublisher | undefined;
  let lastLogged = 0;
  const report = (err: unknown) => {
    if (Date.now() - lastLogged < 30_000) return;
    lastLogged = Date.now();
    logger.warn({ nats: shownNatsUrl(settings.NATS_URL), err: err instanceof Error ? err.message : String(err) }, 'events not published yet; retrying');
  };
  const started = (async () => {
    for (let wait = 500; !stopped; wait = Math.min(wait * 2, 10_000)) {
      try {
        nc ??= await connectToNats(settings.NATS_URL, 'temporal-fulfillment publisher');
        await ensureStreams(nc, { name: settings.NATS_STREAM, maxAgeDays: settings.NATS_STREAM_MAX_AGE_DAYS });
        break;
      } catch (err) {
        report(err);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    if (stopped || !nc) return;
    const connection = nc;
    publisher = new EventPublisher(outbox, jetstream(connection), {
      stream: settings.NATS_STREAM,
      onError: report,
      beforeRetry: async () => void (await ensureStreams(connection, { name: settings.NATS_STREAM, maxAgeDays: settings.NATS_STREAM_MAX_AGE_DAYS })),
    });
    publisher.start();
    logger.info({ nats: nc.getServer(), stream: settings.NATS_STREAM }, 'publishing order events');
  })();
  return {
    stop: async () => {
      stopped = true;
      await started;
      await publisher?.stop();
      await nc?.drain().catch(() => undefined);
    },
  };
}
