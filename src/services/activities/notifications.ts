// Notification activity: writes a customer message to the outbox, once per key.
import type { NotificationOutbox } from '..';

export function notificationActivities(outbox: NotificationOutbox) {
  return {
    async sendNotification(input: { idempotencyKey: string; recipient: string; template: string; data: Record<string, unknown> }) {
      await outbox.enqueue(input);
    },
  };
}
