// The notification outbox: messages to customers are written here once; a mailer relays them.
import { randomUUID } from 'node:crypto';
import { type Db, now } from '../db/database';
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

export class NotificationOutbox {
  constructor(private readonly db: Db) {}

  async enqueue(req: NotificationRequest): Promise<Notification> {
    const request = { recipient: req.recipient, template: req.template, data: req.data };
    return once(this.db, { key: req.idempotencyKey, operation: 'notification.enqueue', request }, async (trx) => {
      const notification: Notification = { notificationId: `ntf_${randomUUID()}`, ...request };
      await trx
        .insertInto('notifications')
        .values({ id: notification.notificationId, recipient: req.recipient, template: req.template, payload_json: JSON.stringify(req.data), status: 'PENDING', created_at: now() })
        .execute();
      return notification;
    });
  }

  async sentTo(recipient: string): Promise<Notification[]> {
    const rows = await this.db.selectFrom('notifications').selectAll().where('recipient', '=', recipient).orderBy('created_at').execute();
    return rows.map((r) => ({ notificationId: r.id, recipient: r.recipient, template: r.template, data: JSON.parse(r.payload_json) }));
  }
}
