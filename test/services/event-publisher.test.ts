// The event publisher against a real nats-server with JetStream: each event on the stream once,
// in order per order, with its id as Nats-Msg-Id; through a publisher killed mid-way, a resend
// after a crash between publishing and marking, and a NATS restart.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNatsServer } from '../../src/dev/nats';
import { loadSettings } from '../../src/platform/config';
import { ensureStreams } from '../../src/platform/messaging/stream';
import { EventPublisher } from '../../src/services/event-publisher';
import { eventPublisher } from '../../src/services/event-publishing';
import { eventSubject } from '../../src/shop';
import { outOfOrder, startTestNats, streamContents, type TestNats } from '../support/nats';
import { freePort, spawnNode } from '../support/processes';
import { waitUntil } from '../support/worker-process';
import { freshOutbox, orderEvent, writeEvents } from '../support/order-events';

// A stream owns its subjects on a server, so each test has a server of its own.
const stream = 'SHOP_EVENTS';
let nats: TestNats;
let nc: NatsConnection;

beforeEach(async () => {
  nats = await startTestNats();
  nc = await connect({ servers: nats.url });
});
afterEach(async () => {
  await nc?.close();
  await nats?.stop();
});

/** The stream's events of these orders, checked: each id once, on its subject, in order per order. */
async function onStream(orderIds: string[]) {
  const ours = (await streamContents(nats.url, stream)).filter((m) => orderIds.includes(m.event.orderId));
  for (const m of ours) {
    expect(m.msgId).toBe(m.event.eventId);
    expect(m.subject).toBe(eventSubject(m.event));
  }
  expect(new Set(ours.map((m) => m.event.eventId)).size).toBe(ours.length);
  expect(outOfOrder(ours.map((m) => m.event))).toEqual([]);
  return ours;
}

describe('the event publisher', () => {
  it('puts each event on the stream once, in order per order; one published before a crash and published again is dropped by the stream', async () => {
    await ensureStreams(nc, { name: stream, maxAgeDays: 1 });
    const { db, outbox } = await freshOutbox();
    const orders = await writeEvents(outbox, 4, 5);
    // The publisher died after the stream took this event and before it marked it published.
    const crashedOn = orderEvent(orders[0]!, 1);
    await jetstream(nc).publish(eventSubject(crashedOn), JSON.stringify(crashedOn), { msgID: crashedOn.eventId });

    const publisher = new EventPublisher(outbox, jetstream(nc), { stream });
    expect(await publisher.publishDue()).toBe(20);
    expect(await publisher.publishDue()).toBe(0);

    expect(await outbox.counts()).toEqual({ published: 20, unpublished: 0 });
    const events = await onStream(orders);
    expect(events).toHaveLength(20);
    expect(events[0]!.event.eventId).toBe(crashedOn.eventId);
    await db.destroy();
  });

  it('loses nothing and doubles nothing when its process is SIGKILLed mid-way', async () => {
    const { db, outbox, dataDir } = await freshOutbox();
    const orders = await writeEvents(outbox, 50, 6);
    const env = { DATA_DIR: dataDir, NATS_URL: nats.url, NATS_STREAM: stream, LOG_LEVEL: 'warn' };

    const first = spawnNode('main/publisher.js', env);
    await waitUntil(async () => (await outbox.counts()).published >= 20, 'the first events');
    first.child.kill('SIGKILL');
    await first.exited;
    const left = (await outbox.counts()).unpublished;
    expect(left).toBeGreaterThan(0);

    const second = spawnNode('main/publisher.js', env);
    try {
      await waitUntil(async () => (await outbox.counts()).unpublished === 0, 'the rest');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    expect(await onStream(orders)).toHaveLength(300);
    await db.destroy();
  });

  it('rides out a NATS restart: what was written while NATS was down is published once when it is back', async () => {
    const { db, outbox } = await freshOutbox();
    const settings = loadSettings({ DATA_DIR: '/nonexistent', NATS_URL: nats.url, NATS_STREAM: stream });
    const running = eventPublisher(settings, outbox, pino({ level: 'silent' }));
    try {
      const before = await writeEvents(outbox, 5, 2);
      await waitUntil(async () => (await outbox.counts()).unpublished === 0, 'the events before the restart');

      await nats.stop('SIGKILL');
      const during = await writeEvents(outbox, 5, 2);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await outbox.counts()).unpublished).toBe(10);
      await nats.start();
      const after = await writeEvents(outbox, 5, 2);

      await waitUntil(async () => (await outbox.counts()).unpublished === 0, 'the events after the restart');
      expect(await onStream([...before, ...during, ...after])).toHaveLength(30);
    } finally {
      await running.stop();
      await db.destroy();
    }
  });

  it('connects with the credentials in NATS_URL, and never shows them', async () => {
    const port = await freePort();
    const secured = await startNatsServer({ port, storeDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tf-nats-auth-')), quiet: true, auth: { user: 'shop', pass: 's3cret-pass' } });
    const { db, outbox } = await freshOutbox();
    let logged = '';
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => void ((logged += String(chunk)), done()) }));
    const publishWith = (credentials: string) => eventPublisher(loadSettings({ DATA_DIR: '/nonexistent', NATS_URL: `nats://${credentials}@127.0.0.1:${port}`, NATS_STREAM: stream }), outbox, logger);
    try {
      const orders = await writeEvents(outbox, 1, 2);
      const refused = publishWith('shop:wrong-pass');
      await waitUntil(async () => logged.includes('events not published yet'), 'the refusal in the log');
      await refused.stop();
      expect(logged).toMatch(/Authorization/i);
      expect((await outbox.counts()).unpublished).toBe(2);

      const running = publishWith('shop:s3cret-pass');
      await waitUntil(async () => (await outbox.counts()).unpublished === 0, 'the events');
      await running.stop();
      expect(logged).toContain('nats://(credentials)@127.0.0.1');
      expect(logged).not.toMatch(/s3cret-pass|wrong-pass/);
      const nc2 = await connect({ servers: `127.0.0.1:${port}`, user: 'shop', pass: 's3cret-pass' });
      expect((await (await jetstreamManager(nc2)).streams.info(stream)).state.messages).toBe(2);
      await nc2.close();
      expect(orders).toHaveLength(1);
    } finally {
      secured.kill('SIGKILL');
      await db.destroy();
    }
  });

  it('makes the stream again when NATS comes back without its store, and publishes what waited', async () => {
    const { db, outbox } = await freshOutbox();
    const settings = loadSettings({ DATA_DIR: '/nonexistent', NATS_URL: nats.url, NATS_STREAM: stream });
    const running = eventPublisher(settings, outbox, pino({ level: 'silent' }));
    try {
      await writeEvents(outbox, 2, 2);
      await waitUntil(async () => (await outbox.counts()).unpublished === 0, 'the first events');

      await nats.stop('SIGKILL');
      const waited = await writeEvents(outbox, 3, 2);
      await nats.start(true);

      await waitUntil(async () => (await outbox.counts()).unpublished === 0, 'the events that waited');
      expect(await onStream(waited)).toHaveLength(6);
    } finally {
      await running.stop();
      await db.destroy();
    }
  });
});
