// What both workflows' records are: small parts (published view, journal, compensations, status
// events, notifications), steps that register their undo, one stop request. Run by ./saga-run.ts.
import { ApplicationFailure, log, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { FailureRecord, KindName, OrderStatusAttribute, PaymentStatus, PaymentView, ProviderPaymentEvent, ShopEvent, Template, TemplateData } from '../shop';
import { Compensations } from './compensations';
import { Journal } from './journal';
import { Notifications } from './notifications';
import { patches } from './patches';
import { paymentEventRefusal } from './payment-events';
import { PublishedView } from './published-view';
import { StatusEvents } from './status-events';
import { call, forwardStep, mustComplete, type StepInput, type StepName, type StepResult } from './steps';
import { answerOnceSettled, settled } from './update-answers';

/** How a saga that could not go forward ends. Both workflows' status lists include these. */
export type Ending = 'CANCELLED' | 'FAILED' | 'NEEDS_ATTENTION';

export interface SagaIdentity<Status extends string> {
  /** How log lines name the workflow's kind: "order", "coffee order". */
  label: string;
  /** How its events name it. */
  kind: KindName;
  /** The keyword search attribute that holds the status (both kinds' keys have this type). */
  statusAttribute: typeof OrderStatusAttribute;
  finalStatuses: readonly Status[];
}

export abstract class Saga<Status extends string, View> {
  readonly published = new PublishedView<View>(() => this.view(), () => this.details());
  readonly journal = new Journal(() => this.writeChanges(true));
  readonly compensations = new Compensations();
  readonly events: StatusEvents;
  readonly notifications: Notifications;
  status: Status | Ending;
  /** The payment as the saga knows it; `events` once the provider has said more of it (a dispute). */
  payment: PaymentView = { status: 'PENDING', paymentId: null };
  failure: FailureRecord | null = null;
  /** Set once the saga starts undoing its steps, whatever the reason. */
  unwinding = false;
  /** Why the saga was asked to stop before its next step (a cancel, the barista's failure), if it was. */
  private stop: FailureRecord | null = null;
  /** The status last written to the search attribute, while a newer one waits for the main code's next move. */
  private upserted: Status | Ending;

  protected constructor(
    readonly input: { orderId: string },
    initial: Status,
    private readonly identity: SagaIdentity<Status>,
    searchAttributes: SearchAttributeUpdatePair[] = [],
  ) {
    this.events = new StatusEvents(identity.kind, input.orderId);
    this.notifications = new Notifications(this.events, this.journal);
    this.status = initial;
    this.upserted = initial;
    // The API sets these at start; a workflow started another way (the CLI) sets them here. The
    // first patch check of the run, so its marker comes first in every new history.
    const starting = [{ key: identity.statusAttribute, value: initial }, ...searchAttributes];
    const missing = patched(patches.fewerWrites) ? starting.filter(({ key, value }) => workflowInfo().typedSearchAttributes.get(key) !== value) : starting;
    if (missing.length > 0) upsertSearchAttributes(missing);
  }

  abstract view(): View;
  /** Why a customer's cancel must be refused now, if it must. */
  abstract cancelRefusal(): string | undefined;
  /** Where the customer's messages go: an email address, or the name called at the counter. */
  protected abstract get customer(): string;
  /** Tells the customer that the order was cancelled or failed, once its steps are undone (./saga-run.ts). */
  abstract tellEnding(): Promise<void>;
  /** What this kind's events carry besides the status: never card data or personal data. */
  protected abstract eventFacts(): Pick<ShopEvent, 'totalCents' | 'customerId'>;

  get isFinal(): boolean {
    return (this.identity.finalStatuses as readonly string[]).includes(this.status);
  }
  get stopRequested(): boolean {
    return this.stop !== null;
  }
  get cancelled(): boolean {
    return this.stop?.type === 'Cancelled';
  }

  /**
   * The status changes now; Temporal hears of it with the main code's next step or wait (or its
   * end), in one status upsert and one memo write however many changes came before it. Workflows
   * started before `fewer-writes` write both at once, on every change.
   */
  moveTo(status: Status | Ending): void {
    this.status = status;
    if (!patched(patches.fewerWrites)) {
      upsertSearchAttributes([{ key: this.identity.statusAttribute, value: status }]);
      this.upserted = status;
      this.published.publish();
    }
    this.noteStatusEvent();
    log.info(`${this.identity.label} status`, { orderId: this.input.orderId, status });
  }

  /**
   * Writes the status and the view as they stand, before the main code's next step or wait and at
   * its end: what a reader finds in Temporal is then current whenever the workflow task completes.
   * Before a step, a view that only gained steps waits for the next write.
   */
  writeChanges(beforeStep = false): void {
    if (this.upserted !== this.status) {
      upsertSearchAttributes([{ key: this.identity.statusAttribute, value: this.status }]);
      this.upserted = this.status;
    }
    if (beforeStep) this.published.publishBeforeStep();
    else this.published.publish();
  }

  /** The event of the status just reached, written before the main code's next step or wait. */
  noteStatusEvent(): void {
    this.events.note({ status: this.status, paymentStatus: this.payment.status, facts: this.eventFacts(), failure: this.isFinal ? this.failure : null });
  }

  /** The main workflow's wait, once its status changes so far are written. */
  until(done: () => boolean): Promise<void>;
  until(done: () => boolean, timeoutMs: number): Promise<boolean>;
  until(done: () => boolean, timeoutMs?: number): Promise<void | boolean> {
    return this.events.after<void | boolean>(() => {
      this.writeChanges();
      return timeoutMs === undefined ? this.published.until(done) : this.published.until(done, timeoutMs);
    });
  }

  private details(): string {
    const names = (steps: { name: string; status: string }[]) => steps.map((s) => (s.status === 'FAILED' ? `~~${s.name}~~` : s.name)).join(', ') || 'none';
    return [
      `**${this.status}**${this.unwinding ? ' (undoing)' : ''} · payment ${this.payment.status.toLowerCase()}`,
      `Done: ${names(this.journal.steps)}`,
      ...(this.journal.compensations.length > 0 ? [`Undone: ${names(this.journal.compensations)}`] : []),
      ...(this.failure ? [`Why: ${this.failure.type}: ${this.failure.message}`] : []),
    ].join('\n\n');
  }

  setPayment(status: PaymentStatus, paymentId = this.payment.paymentId): void {
    this.payment = { ...this.payment, status, paymentId };
  }

  /** Why the provider's event cannot be taken, if it cannot (the Update's validator). */
  paymentEventRefusal(event: ProviderPaymentEvent): string | undefined {
    return paymentEventRefusal(this.payment, event);
  }
  /**
   * The provider's later word on the payment (a dispute, a refund made outside the shop): kept
   * with the payment and written to the view once the main code is at rest, so the write falls
   * in the same place among the workflow's commands however the handler and the main code interleave.
   */
  async takePaymentEvent(event: ProviderPaymentEvent): Promise<View> {
    this.payment = { ...this.payment, ...(event.kind === 'refund' && { status: 'REFUNDED' as const }), events: [...(this.payment.events ?? []), event] };
    await settled(this.published, () => true);
    this.writeChanges();
    return this.published.render();
  }
  /** One forward step: given up on after about 35 s of retries, and the saga unwinds. */
  step<K extends StepName>(name: K, input: StepInput<K>): Promise<StepResult<K>> {
    return this.events.after(() => this.journal.step(name, () => call(forwardStep, name, input)));
  }

  /** A step that must happen once it is due (the capture after dispatch): retried for about 15 minutes. */
  stepThatMustComplete<K extends StepName>(name: K, input: StepInput<K>): Promise<StepResult<K>> {
    return this.events.after(() => this.journal.step(name, () => call(mustComplete, name, input)));
  }

  /** Registers the compensation of the step that has just completed; `then` records its effect. */
  onUndo<K extends StepName>(name: K, input: StepInput<K>, then?: () => void): void {
    this.compensations.push(name, async () => {
      await call(mustComplete, name, input);
      then?.();
    });
  }

  /** Queues a message to the customer about this order (never fatal). */
  tellCustomer<T extends Template>(template: T, ...data: {} extends Omit<TemplateData[T], 'orderId'> ? [Omit<TemplateData[T], 'orderId'>?] : [Omit<TemplateData[T], 'orderId'>]): Promise<void> {
    return this.notifications.send(this.customer, template, { orderId: this.input.orderId, ...data[0] } as TemplateData[T]);
  }

  /** Asks the saga to stop before its next step. The first reason given is the one it reports. */
  requestStop(reason: FailureRecord): void {
    this.failure ??= reason;
    this.stop ??= reason;
  }
  /** Between steps: a requested stop ends the forward steps here, and the saga unwinds. */
  stopIfAsked(): void {
    if (this.stop) throw ApplicationFailure.nonRetryable(this.stop.message, this.stop.type);
  }

  /** An Update handler's answer: the view, once `done` holds and the main workflow is at rest. */
  answerOnceSettled(done: () => boolean): Promise<View> {
    return answerOnceSettled(this.published, done);
  }
  /** The customer's cancel as both cancel Updates carry it out: answered once the saga has ended. */
  cancelAndSettle(reason = 'cancelled by the customer'): Promise<View> {
    this.requestStop({ type: 'Cancelled', message: reason });
    return this.answerOnceSettled(() => this.isFinal);
  }
}
