// The example consumer's pattern against a real nats-server: a handler that fails is asked again
// with backoff, an event that keeps failing ends on the dead-letter subject, a redelivered event
// changes nothing, a late redelivery cannot move an order back, and a durable consumer resumes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumeEvents, type EventConsumerOptions, type RunningConsumer } from '../../../src/platform/messaging/consumer';
import { ProcessedEvents } from '../../../src/platform/messaging/processed-events';
import { deadLetterStream, deadLetterSubject, ensureStreams } from '../../../src/platform/messaging/stream';
import { eventSubject, type ShopEvent } from '../../../src/shop';
import { uniqueId } from '../../support/database';
import { startTestNats, type TestNats } from '../../support/nats';
import { waitUntil } from '../../support/worker-process';
import { orderEvent } from '../../support/order-events';

const stream = 'SHOP_EVENTS';
let nats: TestNats;
let nc: NatsConnection;
const running: RunningConsumer[] = [];

beforeEach(async () => {
  nats = await startTestNats();
  nc = await connect({ servers: nats.url });
  await ensureStreams(nc, { name: stream, maxAgeDays: 1 });
});
afterEach(async () => {
  for (const consumer of running.splice(0)) await consumer.stop();
  await nc?.close();
  await nats?.stop();
});

async function publish(...events: ShopEvent[]): Promise<void> {
  for (const e of events) await jetstream(nc).publish(eventSubject(e), JSON.stringify(e), { msgID: e.eventId });
}

async function consume(handle: EventConsumerOptions['handle'], overrides: Partial<EventConsumerOptions> = {}): Promise<RunningConsumer> {
  const consumer = await consumeEvents(nc, { stream, maxAgeDays: 1, durable: 'test', backoffMs: [100, 200], handle, ...overrides });
  running.push(consumer);
  return consumer;
}

function processedStore(): ProcessedEvents {
  return new ProcessedEvents(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tf-consumer-')), 'seen.db'));
}

describe('a consumer of order events', () => {
  it('gets an event its handler failed on again, after a backoff, and handles it once; the others go on', async () => {
    const order = uniqueId('o');
    const [first, second] = [orderEvent(order, 1), orderEvent(order, 2)];
    const deliveries: { id: string; count: number; at: number }[] = [];
    const handled: string[] = [];
    await consume(async (event, delivery) => {
      deliveries.push({ id: event.eventId, count: delivery.count, at: Date.now() });
      if (event.eventId === first.eventId && delivery.count < 3) throw new Error('the warehouse system is down');
      handled.push(event.eventId);
    });
    await publish(first, second);

    await waitUntil(() => handled.length === 2, 'both events handled');
    const ofFirst = deliveries.filter((d) => d.id === first.eventId);
    expect(ofFirst.map((d) => d.count)).toEqual([1, 2, 3]);
    expect(ofFirst[1]!.at - ofFirst[0]!.at).toBeGreaterThanOrEqual(90);
    expect(ofFirst[2]!.at - ofFirst[1]!.at).toBeGreaterThanOrEqual(190);
    expect(handled.sort()).toEqual([first.eventId, second.eventId].sort());
  });

  it('sends an event that keeps failing to the dead-letter subject after the last delivery, with why, and goes on', async () => {
    const order = uniqueId('o');
    const [poison, fine] = [orderEvent(order, 1), orderEvent(uniqueId('o'), 1)];
    const problems: { delivery: number; deadLettered: boolean }[] = [];
    const handled: string[] = [];
    await consume(
      async (event) => {
        if (event.eventId === poison.eventId) throw new Error('no such customer in the CRM');
        handled.push(event.eventId);
      },
      { maxDeliveries: 3, onProblem: (p) => problems.push({ delivery: p.delivery, deadLettered: p.deadLettered }) },
    );
    await publish(poison, fine);

    await waitUntil(() => problems.some((p) => p.deadLettered), 'the dead letter');
    expect(problems).toEqual([
      { delivery: 1, deadLettered: false },
      { delivery: 2, deadLettered: false },
      { delivery: 3, deadLettered: true },
    ]);
    expect(handled).toEqual([fine.eventId]);
    const jsm = await jetstreamManager(nc);
    const dead = await jsm.streams.getMessage(deadLetterStream(stream), { last_by_subj: deadLetterSubject('test') });
    expect(dead!.json<ShopEvent>()).toEqual(poison);
    expect(dead!.header.get('Error')).toBe('no such customer in the CRM');
    expect(dead!.header.get('Deliveries')).toBe('3');
    expect(dead!.header.get('Original-Subject')).toBe(eventSubject(poison));
    // Terminated: not delivered again.
    await new Promise((r) => setTimeout(r, 500));
    expect(problems).toHaveLength(3);
  });

  it('dead-letters a message that is not an order event at its first delivery, without calling the handler', async () => {
    const problems: { event: string; delivery: number; error: string; deadLettered: boolean }[] = [];
    let handled = 0;
    await consume(async () => void (handled += 1), { onProblem: (p) => problems.push(p) });
    await jetstream(nc).publish('shop.order.received', 'not json at all');
    await jetstream(nc).publish('shop.order.received', JSON.stringify({ orderId: 'X1', status: 'RECEIVED' }));

    await waitUntil(() => problems.length === 2, 'both dead letters');
    expect(problems.map((p) => [p.delivery, p.deadLettered])).toEqual([
      [1, true],
      [1, true],
    ]);
    expect(problems[1]!.error).toBe('not an order event: no eventId, type, sequence');
    expect(handled).toBe(0);
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(deadLetterStream(stream))).state.messages).toBe(2);
  });

  it('changes nothing when an event it already handled comes again (its acknowledgement was lost)', async () => {
    const store = processedStore();
    const event = orderEvent(uniqueId('o'), 1);
    let effects = 0;
    let deliveries = 0;
    await consume(async (e, delivery) => {
      deliveries = delivery.count;
      if (store.once(e, () => void (effects += 1)) && delivery.count === 1) throw new Error('the process died before it acknowledged');
    });
    await publish(event);

    await waitUntil(() => deliveries === 2, 'the redelivery');
    await new Promise((r) => setTimeout(r, 300));
    expect(deliveries).toBe(2);
    expect(effects).toBe(1);
    expect(store.count()).toBe(1);
    store.close();
  });

  it("keeps each order's latest status when a failed event comes back after a newer one", async () => {
    const store = processedStore();
    const order = uniqueId('o');
    const [paid, shipped] = [orderEvent(order, 3), orderEvent(order, 4)];
    let failedOnce = false;
    await consume(async (e) => {
      if (e.eventId === paid.eventId && !failedOnce) {
        failedOnce = true;
        throw new Error('a blip');
      }
      store.once(e, ProcessedEvents.keepLatestStatus(e));
    });
    await publish(paid, shipped);

    await waitUntil(() => store.count() === 2, 'both events handled');
    expect(store.latestStatus('order', order)).toEqual({ status: shipped.status, sequence: 4 });
    store.close();
  });

  it('rides out a NATS restart and goes on with what comes after', async () => {
    const seen: string[] = [];
    const [a, b] = [orderEvent(uniqueId('o'), 1), orderEvent(uniqueId('o'), 1)];
    await consume(async (e) => void seen.push(e.eventId), { durable: 'restart' });
    await publish(a);
    await waitUntil(() => seen.length === 1, 'the event before the restart');

    await nats.stop('SIGKILL');
    await nats.start();
    await waitUntil(async () => (await publish(b).then(() => true).catch(() => false)), 'NATS back');
    await waitUntil(() => seen.length === 2, 'the event after the restart', 60_000);
    expect(seen).toEqual([a.eventId, b.eventId]);
  }, 90_000);

  it('resumes where it stopped: a durable consumer restarted gets only what it had not acknowledged', async () => {
    const seen: string[] = [];
    const [a, b] = [orderEvent(uniqueId('o'), 1), orderEvent(uniqueId('o'), 1)];
    const first = await consume(async (e) => void seen.push(e.eventId), { durable: 'resume' });
    await publish(a);
    await waitUntil(() => seen.length === 1, 'the first event');
    await first.stop();

    await publish(b);
    await consume(async (e) => void seen.push(e.eventId), { durable: 'resume' });
    await waitUntil(() => seen.length === 2, 'the second event');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([a.eventId, b.eventId]);
  });
});
