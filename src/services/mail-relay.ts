// The mail relay: sends what the workflows queued in the outbox, at least once, with retries and
// backoff; a message that keeps failing becomes a dead letter (FAILED) for staff to look at.
// Each message's Message-ID derives from the key it was queued with, so a resend after a crash is
// the same message to the mail server and to the recipient's client.
import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { addresseeOf, defaultShopFace, type ShopFace } from '../shop';
import { render } from './mail-templates';
import type { OutboxMessage, NotificationOutbox } from './notification-outbox';

export interface RelayOptions {
  from: string;
  /** The name the messages are signed with and the currency of their amounts; the defaults when absent. */
  shop?: ShopFace;
  /** Where messages for people without an email address go. */
  addresses: { shiftManager: string; counter: string };
  /** Attempts before a message becomes a dead letter. */
  maxAttempts: number;
  /** How often the outbox is looked at when it was empty. */
  pollMs?: number;
  /** How long a message taken for sending stays another relay's to leave alone. */
  leaseMs?: number;
}

/** After attempt n fails: 2^n seconds, at most 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(2 ** attempts * 1000, 5 * 60_000);
}

export function messageId(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@temporal-fulfillment>`;
}

export class MailRelay {
  private stopped = false;
  private running?: Promise<void>;

  constructor(
    private readonly outbox: NotificationOutbox,
    private readonly transport: Pick<Transporter, 'sendMail'>,
    private readonly options: RelayOptions,
  ) {}

  /**
   * Sends what is due now, one message at a time (each leased only while it is being sent, so a
   * crash strands one at most); answers how many were sent.
   */
  async sendDue(limit = 20): Promise<number> {
    let sent = 0;
    for (let i = 0; i < limit; i++) {
      const [message] = await this.outbox.takeDue(1, this.options.leaseMs ?? 60_000);
      if (!message) break;
      try {
        await this.transport.sendMail(this.mail(message));
        await this.outbox.markSent(message.notificationId);
        sent += 1;
      } catch (err) {
        const attempts = message.attempts + 1;
        const retryAt = attempts >= this.options.maxAttempts ? null : new Date(Date.now() + backoffMs(attempts));
        await this.outbox.markAttemptFailed(message.notificationId, err instanceof Error ? err.message : String(err), retryAt);
      }
    }
    return sent;
  }

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        const sent = await this.sendDue().catch(() => 0);
        if (sent === 0) await new Promise((r) => setTimeout(r, this.options.pollMs ?? 1000));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private mail(message: OutboxMessage) {
    const { recipient } = message;
    const addressee = addresseeOf(recipient);
    const to = addressee === 'email' ? recipient : addressee === 'shift-manager' ? this.options.addresses.shiftManager : this.options.addresses.counter;
    const rendered = render(message.template, message.data, addressee === 'email' ? 'you' : recipient, this.options.shop ?? defaultShopFace);
    return { from: this.options.from, to, messageId: messageId(message.idempotencyKey), ...rendered };
  }
}
