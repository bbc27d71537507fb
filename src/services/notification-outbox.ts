// The notification outbox: messages to customers are written here once; a mailer relays them.
import { randomUUID } from 'node:crypto';
import { type Db, now } from '../platform/db/database';
import { once } from './idempotency';

export interface NotificationRequest {
  idempotencyKey: string;
  recipient: string;
  template: string;
  data: Record<string, unknown>;
}

export interface Notification {
  notificationId: string;
  recipient: string;
  template: string;
  data: Record<string, unknown>;
}

/** A message as the relay sends it. */
export interface OutboxMessage extends Notification {
  /** The key it was queued with; its Message-ID derives from it, so a resend is recognisably the same. */
  idempotencyKey: string;
  attempts: number;
  createdAt: string;
  lastError: string | null;
}

function toMessage(row: { id: string; recipient: string; template: string; payload_json: string; idempotency_key: string | null; attempts: number; created_at: string; last_error: string | null }): OutboxMessage {
  return {
    notificationId: row.id,
    recipient: row.recipient,
    template: row.template,
    data: JSON.parse(row.payload_json),
    idempotencyKey: row.idempotency_key ?? row.id,
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    lastError: row.last_error,
  };
}

export class NotificationOutbox {
  constructor(private readonly db: Db) {}

  async enqueue(req: NotificationRequest): Promise<Notification> {
    const request = { recipient: req.recipient, template: req.template, data: req.data };
    return once(this.db, { key: req.idempotencyKey, operation: 'notification.enqueue', request }, async (trx) => {
      const notification: Notification = { notificationId: `ntf_${randomUUID()}`, ...request };
      await trx
        .insertInto('notifications')
        .values({
          id: notification.notificationId,
          recipient: req.recipient,
          template: req.template,
          payload_json: JSON.stringify(req.data),
          status: 'PENDING',
          created_at: now(),
          idempotency_key: req.idempotencyKey,
        })
        .execute();
      return notification;
    });
  }

  /**
   * Takes up to `limit` messages due for sending, oldest first, leasing each for `leaseMs`: a
   * relay that dies holding one leaves it to be taken again once the lease runs out.
   */
  async takeDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const at = now();
    const due = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('status', '=', 'PENDING')
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
      .orderBy('created_at')
      .limit(limit)
      .execute();
    const leaseUntil = new Date(Date.now() + leaseMs).toISOString();
    const taken: OutboxMessage[] = [];
    for (const row of due) {
      // Only one relay wins a message: the lease is taken only if nobody took it meanwhile.
      const claimed = await this.db
        .updateTable('notifications')
        .set({ next_attempt_at: leaseUntil })
        .where('id', '=', row.id)
        .where('status', '=', 'PENDING')
        .where((eb) => (row.next_attempt_at === null ? eb('next_attempt_at', 'is', null) : eb('next_attempt_at', '=', row.next_attempt_at)))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 1) taken.push(toMessage(row));
    }
    return taken;
  }

  async markSent(id: string): Promise<void> {
    await this.db.updateTable('notifications').set({ status: 'SENT', sent_at: now(), next_attempt_at: null, last_error: null }).where('id', '=', id).execute();
  }

  /** Records a failed attempt: tried again at `retryAt`, or a dead letter (FAILED) when there is none. */
  async markAttemptFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500), status: retryAt ? 'PENDING' : 'FAILED', next_attempt_at: retryAt?.toISOString() ?? null }))
      .where('id', '=', id)
      .execute();
  }

  /** The dead letters: messages whose sending failed too often, oldest first. */
  async failed(limit = 200): Promise<OutboxMessage[]> {
    const rows = await this.db.selectFrom('notifications').selectAll().where('status', '=', 'FAILED').orderBy('created_at').limit(limit).execute();
    return rows.map(toMessage);
  }

  /** Puts a dead letter back in line, its attempts counted afresh. False when it is not one. */
  async retry(id: string): Promise<boolean> {
    const moved = await this.db.updateTable('notifications').set({ status: 'PENDING', attempts: 0, next_attempt_at: null }).where('id', '=', id).where('status', '=', 'FAILED').executeTakeFirst();
    return Number(moved.numUpdatedRows) === 1;
  }

  async counts(): Promise<Record<'PENDING' | 'SENT' | 'FAILED', number>> {
    const rows = await this.db.selectFrom('notifications').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return { PENDING: 0, SENT: 0, FAILED: 0, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) };
  }

  async sentTo(recipient: string): Promise<Notification[]> {
    const rows = await this.db.selectFrom('notifications').selectAll().where('recipient', '=', recipient).orderBy('created_at').execute();
    return rows.map((r) => ({ notificationId: r.id, recipient: r.recipient, template: r.template, data: JSON.parse(r.payload_json) }));
  }
}
