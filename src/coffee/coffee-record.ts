// The state of one coffee order inside its workflow: who makes it, what the customer and the
// barista have asked for, the view it publishes, and the rules its Update validators apply.
import { hasPatch, patches } from '../saga/patches';
import { Saga } from '../saga/saga';
import { CoffeeStatusAttribute } from '../shop';
import { type CoffeeInput, type CoffeeStatus, type CoffeeView, finalCoffeeStatuses, priceCoffee } from './coffee';

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

export class CoffeeRecord extends Saga<CoffeeStatus, CoffeeView> {
  readonly priced: ReturnType<typeof priceCoffee>;
  barista: string | null = null;
  /** A barista's "ready" or the customer's pickup, accepted and not yet carried out. */
  acceptedAction: 'ready' | 'pickUp' | null = null;
  /** The main workflow has stopped waiting in the barista queue (its SLA timer is settled). */
  queueWaitOver = false;

  declare readonly input: CoffeeInput;

  constructor(input: CoffeeInput) {
    super(input, 'RECEIVED', { label: 'coffee order', kind: 'coffee', statusAttribute: CoffeeStatusAttribute, finalStatuses: finalCoffeeStatuses });
    this.priced = priceCoffee(input.items);
  }

  claimBy(barista: string): void {
    this.barista = barista;
    this.published.alsoWrite({ barista });
    this.moveTo('PREPARING');
  }

  protected get customer(): string {
    return this.input.customerName;
  }

  /** A coffee customer leaves only a name, which stays out of events. */
  protected eventFacts() {
    return { totalCents: this.priced.totalCents };
  }

  /** Coffee orders started before the counter was told of a cancel or a failure end silently. */
  async tellEnding(): Promise<void> {
    if (!hasPatch(patches.coffeeTellsEnding)) return;
    await this.tellCustomer(this.cancelled ? 'coffee-cancelled' : 'coffee-failed', { reason: this.failure?.message });
  }

  cancelRefusal(): string | undefined {
    return this.refusal('cancel');
  }

  /** Why an action must be refused now, if it must. A repeated cancel is not refused. */
  refusal(action: CoffeeAction): string | undefined {
    if (action === 'cancel' && this.cancelled) return undefined;
    if (this.unwinding) return 'the order is already being undone';
    const underWay = this.stopRequested ? (this.cancelled ? 'cancel' : 'fail') : this.acceptedAction;
    if (underWay) return `the order already has a "${underWay}" under way`;
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
