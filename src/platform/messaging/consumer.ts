// The pattern for the shop's other systems that read order events: a durable consumer (the stream
// remembers what it acknowledged, across restarts), explicit acknowledgements, redelivery with
// backoff when the handler fails, and a dead-letter subject once an event has failed too often.
// Delivery is at least once, so the handler must be idempotent: see processed-events.ts.
import { AckPolicy, DeliverPolicy, jetstream, type JsMsg } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/nats-core';
import type { ShopEvent } from '../../shop';
import { deadLetterStream, deadLetterSubject, ensureStreams } from './stream';

export interface EventConsumerOptions {
  stream: string;
  maxAgeDays: number;
  /** The durable consumer's name: one per reading system, each with its own position. */
  durable: string;
  /** Only these subjects (`shop.coffee.>`); all events when empty. */
  filterSubjects?: string[];
  /** Deliveries before an event goes to the dead-letter subject (the first counts). Default 5. */
  maxDeliveries?: number;
  /** The wait before each redelivery after a failure; the last repeats. Default 1 s, 5 s, 30 s, 1 min. */
  backoffMs?: number[];
  /** Handles one event. Throwing asks for it again later. */
  handle: (event: ShopEvent, delivery: Delivery) => Promise<void>;
  /** Told of each failed delivery and each dead letter. */
  onProblem?: (problem: { event: string; delivery: number; error: string; deadLettered: boolean }) => void;
}

export interface Delivery {
  /** 1 for the first delivery, more for redeliveries. */
  count: number;
  streamSequence: number;
}

export interface RunningConsumer {
  stop(): Promise<void>;
  /** Resolves when the consumer has stopped (by stop(), or its connection closing). */
  stopped: Promise<void>;
}

/**
 * How long the stream waits for an acknowledgement before it delivers an event again: a handler
 * that takes longer must call `working()`, which the pattern does not need.
 */
const ackWaitMs = 60_000;

/**
 * Creates (or brings in line) the durable consumer and handles its events one at a time until
 * stopped. Each is acknowledged after its handler succeeds, asked for again after the backoff
 * when it throws, and dead-lettered after its last delivery; the stream keeps the position.
 */
export async function consumeEvents(nc: NatsConnection, options: EventConsumerOptions): Promise<RunningConsumer> {
  const jsm = await ensureStreams(nc, { name: options.stream, maxAgeDays: options.maxAgeDays });
  const config = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ackWaitMs * 1_000_000,
    // The server would give up silently after a limit; this code counts deliveries itself, so an
    // event that cannot be handled always ends on the dead-letter subject, never nowhere.
    max_deliver: -1,
    ...(options.filterSubjects?.length ? { filter_subjects: options.filterSubjects } : {}),
  };
  const existing = await jsm.consumers.info(options.stream, options.durable).catch(() => undefined);
  if (existing) await jsm.consumers.update(options.stream, options.durable, config);
  else await jsm.consumers.add(options.stream, config);

  const js = jetstream(nc);
  const consumer = await js.consumers.get(options.stream, options.durable);
  const messages = await consumer.consume({ max_messages: 100 });
  const maxDeliveries = options.maxDeliveries ?? 5;
  const backoff = options.backoffMs ?? [1000, 5000, 30_000, 60_000];

  const deadLetter = async (m: JsMsg, error: string) => {
    const h = headers();
    h.set('Original-Subject', m.subject);
    h.set('Original-Stream-Sequence', String(m.info.streamSequence));
    h.set('Deliveries', String(m.info.deliveryCount));
    h.set('Error', error.slice(0, 500));
    // The same event dead-lettered twice (this process died before the term) is kept once.
    const id = m.headers?.get('Nats-Msg-Id') || `seq-${m.info.streamSequence}`;
    await js.publish(deadLetterSubject(options.durable), m.data, { headers: h, msgID: `${options.durable}/${id}`, expect: { streamName: deadLetterStream(options.stream) } });
  };

  const handleOne = async (m: JsMsg) => {
    let event: ShopEvent | undefined;
    let error: string;
    try {
      event = asShopEvent(m.json<unknown>());
      await options.handle(event, { count: m.info.deliveryCount, streamSequence: m.info.streamSequence });
      m.ack();
      return;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    // Not an event at all: no later delivery can do better.
    const giveUp = event === undefined || m.info.deliveryCount >= maxDeliveries;
    options.onProblem?.({ event: event?.eventId ?? `seq-${m.info.streamSequence}`, delivery: m.info.deliveryCount, error, deadLettered: giveUp });
    if (!giveUp) {
      m.nak(backoff[Math.min(m.info.deliveryCount - 1, backoff.length - 1)]);
      return;
    }
    try {
      await deadLetter(m, error);
      m.term(`dead-lettered: ${error.slice(0, 100)}`);
    } catch {
      // The dead letter could not be written (NATS away): ask for the event again to retry.
      m.nak(backoff.at(-1));
    }
  };

  const stopped = (async () => {
    // One at a time: an order's events are handled in their order.
    for await (const m of messages) await handleOne(m);
  })();
  return {
    stopped,
    stop: async () => {
      await messages.close();
      await stopped;
    },
  };
}

/** The event in a message, or an error naming what is missing: such a message is dead-lettered at once. */
function asShopEvent(body: unknown): ShopEvent {
  const e = body as Partial<ShopEvent> | null;
  const missing = [
    typeof e?.eventId !== 'string' && 'eventId',
    typeof e?.orderId !== 'string' && 'orderId',
    typeof e?.type !== 'string' && 'type',
    typeof e?.status !== 'string' && 'status',
    !Number.isInteger(e?.sequence) && 'sequence',
  ].filter(Boolean);
  if (missing.length > 0) throw new Error(`not an order event: no ${missing.join(', ')}`);
  return e as ShopEvent;
}
