// The workflow's status changes, written to the events outbox before its next step or wait.
import { eventType, type FailureRecord, type KindName, type PaymentStatus, type ShopEvent } from '../shop';
import { hasPatch, patches } from './patches';
import { recordEvents, stepKey } from './steps';

/** What an event says beyond its place in the sequence. */
export interface StatusChange {
  status: string;
  paymentStatus: PaymentStatus;
  /** What this kind's events carry besides the status: never card data or personal data. */
  facts: Pick<ShopEvent, 'totalCents' | 'customerId'>;
  /** Why the workflow ended, on its final event. */
  failure?: FailureRecord | null;
}

export class StatusEvents {
  /** Status changes made and not yet written to the events outbox. */
  private unrecorded: ShopEvent[] = [];
  private made = 0;

  constructor(
    private readonly kind: KindName,
    private readonly orderId: string,
  ) {}

  /** The event of the status just reached, to be written before the main code's next step or wait. */
  note({ status, paymentStatus, facts, failure }: StatusChange): void {
    this.made += 1;
    this.unrecorded.push({
      eventId: stepKey(`event-${this.made}`),
      kind: this.kind,
      orderId: this.orderId,
      type: eventType(this.kind, status),
      status,
      sequence: this.made,
      occurredAt: new Date().toISOString(),
      paymentStatus,
      ...facts,
      ...(failure ? { failure } : {}),
    });
  }

  /**
   * Writes the status changes not yet written (a handler's too: the claim), in one local
   * activity; undefined when there is nothing to write. Only the main code calls this, before
   * each step and wait, so the event reaches Temporal in the workflow task that made the change,
   * and the handlers' answers stay where answerOnceSettled puts them. Workflows started before
   * the outbox replay without writing, and write from their next live status change on.
   */
  flush(): Promise<void> | undefined {
    if (this.unrecorded.length === 0) return undefined;
    if (!hasPatch(patches.orderEvents)) {
      this.unrecorded = [];
      return undefined;
    }
    return recordEvents(this.unrecorded.splice(0));
  }

  /** Runs `then` once every status change so far is in the events outbox (at once if there was none). */
  after<T>(then: () => Promise<T>): Promise<T> {
    const recording = this.flush();
    return recording ? recording.then(then) : then();
  }
}
