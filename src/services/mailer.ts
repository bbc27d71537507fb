// The relay as a process runs it: SMTP from SMTP_URL, addresses and limits from the settings.
import nodemailer from 'nodemailer';
import type { Settings } from '../platform/config';
import { MailRelay } from './mail-relay';
import type { NotificationOutbox } from './notification-outbox';

export function mailRelay(settings: Settings, outbox: NotificationOutbox): MailRelay {
  // Short timeouts: an SMTP server that is away costs an attempt, not a stuck relay.
  const transport = nodemailer.createTransport(settings.SMTP_URL, { connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10_000 });
  return new MailRelay(outbox, transport, {
    from: settings.MAIL_FROM ?? `"${settings.SHOP_NAME.replace(/["\\]/g, '')}" <shop@localhost>`,
    shop: { name: settings.SHOP_NAME, currency: settings.CURRENCY },
    addresses: { shiftManager: settings.SHIFT_MANAGER_EMAIL, counter: settings.COUNTER_EMAIL },
    maxAttempts: settings.MAIL_MAX_ATTEMPTS,
    leaseMs: settings.MAIL_LEASE_SECONDS * 1000,
  });
}
