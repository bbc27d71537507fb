// The mail relay against a real mail server (Mailpit on loopback): each message arrives once,
// through an SMTP outage and through a relay killed mid-way; one that keeps failing becomes a
// dead letter that staff can send again.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailpit } from '../../src/dev/mailpit';
import { type Db, openDatabase } from '../../src/platform/db/database';
import { MailRelay, messageId, type RelayOptions } from '../../src/services/mail-relay';
import { NotificationOutbox } from '../../src/services/notification-outbox';
import { uniqueId } from '../support/database';
import { freePort, spawnNode } from '../support/processes';
import { waitFor } from '../support/wait';

interface Mail {
  ID: string;
  MessageID: string;
  Subject: string;
  To: { Address: string }[];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-mail-'));
const servers: ChildProcess[] = [];
let smtpPort: number;
let httpPort: number;

async function mailServer(ports: { smtp: number; http: number }) {
  const server = await startMailpit({ smtpPort: ports.smtp, httpPort: ports.http, quiet: true });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  [smtpPort, httpPort] = [await freePort(), await freePort()];
  await mailServer({ smtp: smtpPort, http: httpPort });
});
afterAll(() => {
  for (const server of servers) server.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

async function inbox(port = httpPort): Promise<Mail[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/messages?limit=1000`);
  return ((await res.json()) as { messages: Mail[] }).messages;
}

const options = (overrides: Partial<RelayOptions> = {}): RelayOptions => ({
  from: 'shop <shop@localhost>',
  addresses: { shiftManager: 'manager@shop.test', counter: 'counter@shop.test' },
  maxAttempts: 5,
  ...overrides,
});
const relayTo = (outbox: NotificationOutbox, port: number, overrides: Partial<RelayOptions> = {}) =>
  new MailRelay(outbox, nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, connectionTimeout: 2000, greetingTimeout: 2000 }), options(overrides));

async function freshOutbox(): Promise<{ db: Db; outbox: NotificationOutbox; file: string }> {
  const file = path.join(fs.mkdtempSync(path.join(dir, 'db-')), 'business.db');
  const db = await openDatabase({ filename: file });
  return { db, outbox: new NotificationOutbox(db), file };
}

describe('the mail relay', () => {
  it('sends each queued message once, rendered in text and HTML, to the right address, with a Message-ID from its key', async () => {
    const { db, outbox } = await freshOutbox();
    const email = `${uniqueId('ada')}@example.com`;
    const keys = [uniqueId('k'), uniqueId('k'), uniqueId('k')];
    await outbox.enqueue({ idempotencyKey: keys[0]!, recipient: email, template: 'order-accepted', data: { orderId: 'A1', totalCents: 2500 } });
    await outbox.enqueue({ idempotencyKey: keys[1]!, recipient: 'Grace', template: 'coffee-ready', data: { orderId: 'C1' } });
    await outbox.enqueue({ idempotencyKey: keys[2]!, recipient: 'shift-manager', template: 'coffee-unclaimed', data: { orderId: 'C2', customerName: 'Alan', waitingSeconds: 300 } });
    const relay = relayTo(outbox, smtpPort);

    expect(await relay.sendDue()).toBe(3);
    expect(await relay.sendDue()).toBe(0);

    const arrived = (await inbox()).filter((m) => keys.map(messageId).includes(`<${m.MessageID}>`));
    expect(arrived.map((m) => [m.To[0]!.Address, m.Subject]).sort()).toEqual(
      [
        [email, 'Order A1: we have it'],
        ['counter@shop.test', 'Grace, your coffee is ready'],
        ['manager@shop.test', 'Coffee for Alan waits for a barista'],
      ].sort(),
    );
    const accepted = (await (await fetch(`http://127.0.0.1:${httpPort}/api/v1/message/${arrived.find((m) => m.To[0]!.Address === email)!.ID}`)).json()) as { Text: string; HTML: string };
    expect(accepted.Text).toContain('authorized for $25.00');
    expect(accepted.HTML).toMatch(/<p style="[^"]*">Thank you: order A1 is reserved/);
    expect(await outbox.counts()).toEqual({ PENDING: 0, SENT: 3, FAILED: 0 });
    await db.destroy();
  });

  it('keeps messages through an SMTP outage, retrying with backoff, and sends each once when the server is back', async () => {
    const { db, outbox } = await freshOutbox();
    const [smtp, http] = [await freePort(), await freePort()];
    for (let i = 0; i < 3; i++) await outbox.enqueue({ idempotencyKey: uniqueId('out'), recipient: 'x@example.com', template: 'order-delivered', data: { orderId: `O${i}`, trackingNumber: 'T1' } });
    const relay = relayTo(outbox, smtp);

    expect(await relay.sendDue()).toBe(0);
    expect(await outbox.counts()).toEqual({ PENDING: 3, SENT: 0, FAILED: 0 });
    const waiting = await db.selectFrom('notifications').select(['attempts', 'last_error', 'next_attempt_at']).execute();
    for (const row of waiting) {
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(Date.parse(row.next_attempt_at!)).toBeGreaterThan(Date.now());
    }

    await mailServer({ smtp, http });
    await new Promise((r) => setTimeout(r, 2100)); // the backoff after a first failure: 2 s
    expect(await relay.sendDue()).toBe(3);
    expect((await inbox(http)).length).toBe(3);
    await db.destroy();
  });

  it('makes a dead letter of a message that keeps failing, and staff can send it again', async () => {
    const { db, outbox } = await freshOutbox();
    const { notificationId } = await outbox.enqueue({ idempotencyKey: uniqueId('dead'), recipient: 'y@example.com', template: 'order-failed', data: { orderId: 'F1', reason: 'card declined' } });
    const nowhere = await freePort();

    await relayTo(outbox, nowhere, { maxAttempts: 1 }).sendDue();

    const [dead] = await outbox.failed();
    expect(dead).toMatchObject({ notificationId, attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect(await outbox.counts()).toMatchObject({ FAILED: 1 });
    expect(await outbox.retry(notificationId)).toBe(true);
    expect(await outbox.retry(notificationId)).toBe(false);
    expect(await relayTo(outbox, smtpPort).sendDue()).toBe(1);
    expect(await outbox.counts()).toEqual({ PENDING: 0, SENT: 1, FAILED: 0 });
    await db.destroy();
  });

  it('loses nothing and sends nothing twice when the relay process is killed mid-way', async () => {
    const { db, outbox, file } = await freshOutbox();
    const [smtp, http] = [await freePort(), await freePort()];
    await mailServer({ smtp, http });
    const count = 40;
    for (let i = 0; i < count; i++) await outbox.enqueue({ idempotencyKey: uniqueId('crash'), recipient: `c${i}@example.com`, template: 'order-dispatched', data: { orderId: `D${i}`, trackingNumber: `T${i}` } });
    const env = { DATA_DIR: path.dirname(file), SMTP_URL: `smtp://127.0.0.1:${smtp}`, MAIL_LEASE_SECONDS: '1', LOG_LEVEL: 'warn' };

    const first = spawnNode('main/mailer.js', env);
    const deadline = Date.now() + 20_000;
    while ((await inbox(http)).length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await outbox.counts()).PENDING).toBeGreaterThan(0);

    const second = spawnNode('main/mailer.js', env);
    try {
      // The test's own expectations say what was missing if the time runs out.
      await waitFor(() => outbox.counts(), (counts) => counts.SENT >= count, { what: `${count} messages sent` }).catch(() => undefined);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }

    expect(await outbox.counts()).toEqual({ PENDING: 0, SENT: count, FAILED: 0 });
    const mails = await inbox(http);
    expect(mails).toHaveLength(count);
    expect(new Set(mails.map((m) => m.To[0]!.Address)).size).toBe(count);
    await db.destroy();
  });
});
