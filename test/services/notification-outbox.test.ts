// The notification outbox: one row per message key, readable per recipient.
import { beforeEach, describe, expect, it } from 'vitest';
import { NotificationOutbox } from '../../src/services';
import type { NotificationRequest } from '../../src/services/notification-outbox';
import { BusinessError } from '../../src/shop';
import { useFreshDatabase } from '../support/database';

describe('NotificationOutbox', () => {
  const fresh = useFreshDatabase();
  let outbox: NotificationOutbox;

  beforeEach(async () => {
    outbox = new NotificationOutbox(fresh.db);
  });

  const enqueue = (overrides: Partial<NotificationRequest> = {}) =>
    outbox.enqueue({
      idempotencyKey: 'notify-1',
      recipient: 'ada@example.com',
      template: 'order-confirmed',
      data: { orderId: 'order-1', totalCents: 4500 },
      ...overrides });
  const outboxRows = () => fresh.db.selectFrom('notifications').selectAll().execute();

  it('writes one pending outbox row with the template and data', async () => {
    const notification = await enqueue();

    expect(notification).toMatchObject({ recipient: 'ada@example.com', template: 'order-confirmed', data: { orderId: 'order-1', totalCents: 4500 } });
    const rows = await outboxRows();
    expect(rows.map((r) => [r.id, r.recipient, r.template, r.status])).toEqual([[notification.notificationId, 'ada@example.com', 'order-confirmed', 'PENDING']]);
    expect(JSON.parse(rows[0]!.payload_json)).toEqual({ orderId: 'order-1', totalCents: 4500 });
  });

  it('writes the message once when the same key is enqueued twice', async () => {
    const first = await enqueue();
    const repeat = await enqueue();

    expect(repeat).toEqual(first);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('refuses a repeated key with other data as IdempotencyConflict', async () => {
    await enqueue();
    const error = await enqueue({ data: { orderId: 'order-1', totalCents: 9900 } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BusinessError);
    expect((error as BusinessError).type).toBe('IdempotencyConflict');
    expect(await outboxRows()).toHaveLength(1);
  });

  it('lists what was sent to a recipient, with template and data, and nothing sent to others', async () => {
    const confirmed = await enqueue();
    const shipped = await enqueue({ idempotencyKey: 'notify-2', template: 'order-shipped', data: { orderId: 'order-1', trackingNumber: 'TRK1' } });
    await enqueue({ idempotencyKey: 'notify-3', recipient: 'grace@example.com' });

    const sent = await outbox.sentTo('ada@example.com');
    expect(sent).toHaveLength(2);
    expect(sent).toEqual(expect.arrayContaining([confirmed, shipped]));
    expect(await outbox.sentTo('nobody@example.com')).toEqual([]);
  });
});
