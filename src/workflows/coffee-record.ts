// The state of one coffee order inside its workflow: the view it publishes, what the queue lists.
import { log, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import {
  CoffeeStatusAttribute,
  type CoffeeInput,
  type CoffeeStatus,
  type CoffeeView,
  type FailureRecord,
  finalCoffeeStatuses,
  type PaymentStatus,
  priceCoffee,
} from '../domain';
import { Journal } from './journal';
import { PublishedView } from './published-view';

/** What a barista or the customer can ask for, and the statuses it must find the order in. */
export const actionNeeds = {
  claim: ['QUEUED'],
  // Until a barista starts, the customer may change their mind.
  cancel: ['RECEIVED', 'PAID', 'QUEUED'],
  ready: ['PREPARING'],
  fail: ['PREPARING'],
  pickUp: ['READY'],
} as const satisfies Record<string, readonly CoffeeStatus[]>;
export type CoffeeAction = keyof typeof actionNeeds;

export class CoffeeRecord extends PublishedView<CoffeeView> {
  readonly journal = new Journal(() => this.publish());
  readonly priced;
  status: CoffeeStatus = 'RECEIVED';
  barista: string | null = null;
  payment: CoffeeView['payment'] = { status: 'PENDING', paymentId: null };
  failure: FailureRecord | null = null;
  /** An accepted request the workflow has yet to carry out. */
  pending: Exclude<CoffeeAction, 'claim'> | null = null;
  unwinding = false;
  /** The main workflow has stopped waiting in the barista queue (its SLA timer is settled). */
  leftQueue = false;

  constructor(readonly input: CoffeeInput) {
    super();
    this.priced = priceCoffee(input.items);
    upsertSearchAttributes([{ key: CoffeeStatusAttribute, value: this.status }]);
  }

  moveTo(status: CoffeeStatus): void {
    this.status = status;
    upsertSearchAttributes([{ key: CoffeeStatusAttribute, value: status }]);
    this.publish();
    log.info('coffee order status', { orderId: this.input.orderId, status });
  }

  claimBy(barista: string): void {
    this.barista = barista;
    upsertMemo({ barista });
    this.moveTo('PREPARING');
  }

  setPayment(status: PaymentStatus, paymentId = this.payment.paymentId): void {
    this.payment = { status, paymentId };
  }

  get isFinal(): boolean {
    return finalCoffeeStatuses.includes(this.status);
  }

  /** Why an action must be refused now, if it must. A repeated cancel is not refused. */
  refusal(action: CoffeeAction): string | undefined {
    if (action === 'cancel' && this.pending === 'cancel') return undefined;
    if (this.unwinding) return 'the order is already being undone';
    if (this.pending) return `the order already has a "${this.pending}" under way`;
    const needed: readonly CoffeeStatus[] = actionNeeds[action];
    if (!needed.includes(this.status)) return `the order is ${this.status}; "${action}" needs it ${needed.join(' or ')}`;
    return undefined;
  }

  view(): CoffeeView {
    return {
      orderId: this.input.orderId,
      customerName: this.input.customerName,
      status: this.status,
      items: this.priced.lines,
      totalCents: this.priced.totalCents,
      barista: this.barista,
      payment: { ...this.payment },
      steps: [...this.journal.steps],
      compensations: [...this.journal.compensations],
      failure: this.failure,
    };
  }
}
