// The event publisher: relays the events outbox to the JetStream stream, in the order the events
// were written, each with `Nats-Msg-Id` = its event id. Publishing and marking are two steps, so a
// publisher that dies between them publishes the event again when it comes back; the stream drops
// that copy (the same id within its duplicate window), so each event is on the stream once.
import type { JetStreamClient } from '@nats-io/jetstream';
import type { EventOutbox } from '.';
import { eventSubject } from '../shop';

export interface PublisherOptions {
  /** The stream every publish must land in (NATS_STREAM): a misrouted subject fails instead. */
  stream: string;
  /** How often the outbox is looked at when it was empty. */
  pollMs?: number;
  /** Events taken from the outbox at a time. */
  batch?: number;
  /** Told of each failed round (NATS away, the database away); the publisher retries with backoff. */
  onError?: (err: unknown) => void;
  /**
   * Run before the retry after a failed round: makes sure the stream is there (a NATS server that
   * came back without its store has lost it). Its own failure waits for the next round.
   */
  beforeRetry?: () => Promise<void>;
}

export class EventPublisher {
  private stopped = false;
  private running?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly outbox: EventOutbox,
    private readonly js: JetStreamClient,
    private readonly options: PublisherOptions,
  ) {}

  /**
   * Publishes what is waiting, one event at a time, each acknowledged by the stream before it is
   * marked and before the next goes: so an order's events reach the stream in their order, and a
   * failure stops the round where it happened. Answers how many were published.
   */
  async publishDue(): Promise<number> {
    const events = await this.outbox.unpublished(this.options.batch ?? 200);
    let published = 0;
    for (const event of events) {
      if (this.stopped) break;
      const ack = await this.js.publish(eventSubject(event), JSON.stringify(event), { msgID: event.eventId, expect: { streamName: this.options.stream }, timeout: 5000 });
      await this.outbox.markPublished(event.eventId, ack.seq);
      published += 1;
    }
    return published;
  }

  start(): void {
    this.running = (async () => {
      let failures = 0;
      while (!this.stopped) {
        let published = 0;
        try {
          published = await this.publishDue();
          failures = 0;
        } catch (err) {
          failures += 1;
          this.options.onError?.(err);
        }
        // After a failure: 0.5 s, doubling to 10 s. Idle: the poll interval. Busy: at once.
        if (failures > 0) {
          await this.pause(Math.min(500 * 2 ** (failures - 1), 10_000));
          if (!this.stopped) await this.options.beforeRetry?.().catch((err: unknown) => this.options.onError?.(err));
        } else if (published === 0) await this.pause(this.options.pollMs ?? 250);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => (clearTimeout(timer), resolve());
    });
  }
}
