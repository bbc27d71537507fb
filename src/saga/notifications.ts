// The messages a workflow sends (to its customer, to the shift manager): queued in the outbox as
// steps of their own, never fatal.
import { log } from '@temporalio/workflow';
import type { Template, TemplateData } from '../shop';
import type { Journal } from './journal';
import type { StatusEvents } from './status-events';
import { queueNotification, stepKey } from './steps';

export class Notifications {
  constructor(
    private readonly events: StatusEvents,
    private readonly journal: Journal,
  ) {}

  /** Queues a message in the outbox, once the status changes so far are written. One that cannot be queued is journaled, never fatal. */
  async send<T extends Template>(recipient: string, template: T, data: TemplateData[T]): Promise<void> {
    try {
      await this.events.after(() => this.journal.step(`notify:${template}`, () => queueNotification({ idempotencyKey: stepKey(`notify-${template}`), recipient, template, data })));
    } catch (err) {
      log.warn('notification not queued', { template, error: String(err) });
    }
  }
}
