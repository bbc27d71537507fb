// The shape both workflows share: a record of the order that publishes its view, forward steps
// that each register their compensation, one way to ask the saga to stop, one way to end.
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  patched,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { type EventKind, eventType, type FailureRecord, InputProblem, isDecline, type OrderStatusAttribute, type PaymentStatus, type ShopEvent, type Template, type TemplateData } from '../domain';
import { describeFailure, Journal } from './journal';
import { patches } from './patches';
import { PublishedView } from './published-view';
import { call, forward, queueNotification, recordEvents, type StepInput, type StepName, type StepResult, stepKey, toCompletion } from './steps';

/** How a saga that could not go forward ends. Both workflows' status lists include these. */
type Ending = 'CANCELLED' | 'FAILED' | 'NEEDS_ATTENTION';

export interface SagaIdentity<Status extends string> {
  /** How log lines name the workflow's kind: "order", "coffee order". */
  label: string;
  /** How its events name it. */
  kind: EventKind;
  /** The keyword search attribute that holds the status (both kinds' keys have this type). */
  statusAttribute: typeof OrderStatusAttribute;
  finalStatuses: readonly Status[];
}

export abstract class Saga<Status extends string, View> extends PublishedView<View> {
  readonly journal = new Journal(() => this.publish());
  status: Status | Ending;
  payment: { status: PaymentStatus; paymentId: string | null } = { status: 'PENDING', paymentId: null };
  failure: FailureRecord | null = null;
  /** Set once the saga starts undoing its steps, whatever the reason. */
  unwinding = false;
  /** Why the saga was asked to stop before its next step (a cancel, the barista's failure), if it was. */
  private stop: FailureRecord | null = null;
  private readonly compensations: { name: StepName; undo: () => Promise<void> }[] = [];
  /** Status changes made and not yet written to the events outbox. */
  private unrecordedEvents: ShopEvent[] = [];
  private eventsMade = 0;

  protected constructor(
    readonly input: { orderId: string },
    initial: Status,
    private readonly identity: SagaIdentity<Status>,
    searchAttributes: SearchAttributeUpdatePair[] = [],
  ) {
    super();
    this.status = initial;
    // The API set these at start too; a workflow started another way (the CLI) sets them here.
    upsertSearchAttributes([{ key: identity.statusAttribute, value: initial }, ...searchAttributes]);
  }

  /** Why a customer's cancel must be refused now, if it must. */
  abstract cancelRefusal(): string | undefined;

  /** Where the customer's messages go: an email address, or the name called at the counter. */
  protected abstract get customer(): string;

  /** Tells the customer that the order was cancelled or failed, once its steps are undone. */
  protected abstract tellEnding(): Promise<void>;

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

  moveTo(status: Status | Ending): void {
    this.status = status;
    upsertSearchAttributes([{ key: this.identity.statusAttribute, value: status }]);
    this.publish();
    this.noteEvent();
    log.info(`${this.identity.label} status`, { orderId: this.input.orderId, status });
  }

  /** The event of the status just reached, to be written before the main code's next step or wait. */
  private noteEvent(): void {
    const { kind } = this.identity;
    this.eventsMade += 1;
    this.unrecordedEvents.push({
      eventId: stepKey(`event-${this.eventsMade}`),
      kind,
      orderId: this.input.orderId,
      type: eventType(kind, this.status),
      status: this.status,
      sequence: this.eventsMade,
      occurredAt: new Date().toISOString(),
      paymentStatus: this.payment.status,
      ...this.eventFacts(),
      ...(this.isFinal && this.failure ? { failure: this.failure } : {}),
    });
  }

  /**
   * Writes the status changes not yet written (a handler's too: the claim), in one local
   * activity; undefined when there is nothing to write. Only the main code calls this, before
   * each step and wait, so the event reaches Temporal in the workflow task that made the change,
   * and the handlers' answers stay where viewOnce puts them.
   */
  private recordEvents(): Promise<void> | undefined {
    if (this.unrecordedEvents.length === 0) return undefined;
    if (!patched(patches.orderEvents)) {
      this.unrecordedEvents = [];
      return undefined;
    }
    return recordEvents(this.unrecordedEvents.splice(0));
  }

  /** Runs `then` once every status change so far is in the events outbox (at once if there was none). */
  private afterRecordingEvents<T>(then: () => Promise<T>): Promise<T> {
    const recording = this.recordEvents();
    return recording ? recording.then(then) : then();
  }

  /** The main workflow's wait, once its status changes so far are written. */
  override until(done: () => boolean): Promise<void>;
  override until(done: () => boolean, timeoutMs: number): Promise<boolean>;
  override until(done: () => boolean, timeoutMs?: number): Promise<void | boolean> {
    return this.afterRecordingEvents<void | boolean>(() => (timeoutMs === undefined ? super.until(done) : super.until(done, timeoutMs)));
  }

  protected currentDetails(): string {
    const names = (steps: { name: string; status: string }[]) => steps.map((s) => (s.status === 'FAILED' ? `~~${s.name}~~` : s.name)).join(', ') || 'none';
    return [
      `**${this.status}**${this.unwinding ? ' (undoing)' : ''} · payment ${this.payment.status.toLowerCase()}`,
      `Done: ${names(this.journal.steps)}`,
      ...(this.journal.compensations.length > 0 ? [`Undone: ${names(this.journal.compensations)}`] : []),
      ...(this.failure ? [`Why: ${this.failure.type}: ${this.failure.message}`] : []),
    ].join('\n\n');
  }

  setPayment(status: PaymentStatus, paymentId = this.payment.paymentId): void {
    this.payment = { status, paymentId };
  }

  /** One forward step: given up on after about 35 s of retries, and the saga unwinds. */
  step<K extends StepName>(name: K, input: StepInput<K>): Promise<StepResult<K>> {
    return this.afterRecordingEvents(() => this.journal.step(name, () => call(forward, name, input)));
  }

  /** A step that must happen once it is due (the capture after dispatch): retried for about 15 minutes. */
  stepThatMustComplete<K extends StepName>(name: K, input: StepInput<K>): Promise<StepResult<K>> {
    return this.afterRecordingEvents(() => this.journal.step(name, () => call(toCompletion, name, input)));
  }

  /** Registers the compensation of the step that has just completed; `then` records its effect. */
  onUndo<K extends StepName>(name: K, input: StepInput<K>, then?: () => void): void {
    this.compensations.push({
      name,
      undo: async () => {
        await call(toCompletion, name, input);
        then?.();
      },
    });
  }

  /** Queues a message in the outbox. One that cannot be queued is journaled, never fatal. */
  async notify<T extends Template>(recipient: string, template: T, data: TemplateData[T]): Promise<void> {
    try {
      await this.afterRecordingEvents(() =>
        this.journal.step(`notify:${template}`, () => queueNotification({ idempotencyKey: stepKey(`notify-${template}`), recipient, template, data })),
      );
    } catch (err) {
      log.warn('notification not queued', { template, error: String(err) });
    }
  }

  /** Queues a message to the customer about this order (never fatal). */
  tellCustomer<T extends Template>(template: T, ...data: {} extends Omit<TemplateData[T], 'orderId'> ? [Omit<TemplateData[T], 'orderId'>?] : [Omit<TemplateData[T], 'orderId'>]): Promise<void> {
    return this.notify(this.customer, template, { orderId: this.input.orderId, ...data[0] } as TemplateData[T]);
  }

  /** Asks the saga to stop before its next step. The first reason given is the one it reports. */
  requestStop(reason: FailureRecord): void {
    this.failure ??= reason;
    this.stop ??= reason;
  }

  /** The customer's cancel as both cancel Updates carry it out: answered once the saga has ended. */
  cancelAndSettle(reason = 'cancelled by the customer'): Promise<View> {
    this.requestStop({ type: 'Cancelled', message: reason });
    return this.viewOnce(() => this.isFinal);
  }

  /**
   * An Update handler's answer: the view once the main workflow has acted on the request and is
   * at rest again (waiting for someone else, or ended). Where the answer falls among the
   * workflow's commands then depends on the workflow alone, never on how many microtasks each
   * side takes: not on the tracing interceptors, and not on whether the Update came in the same
   * workflow task as an activity's result (after a worker restart, the chaos run found that an
   * answer given at once could land before or after the main code's reaction). The condition's
   * first check, which the SDK makes at once, is always "not yet".
   *
   * Orders started before this keep the answer they were recorded with: as soon as `done` holds.
   * Handlers run in the workflow's root scope, so the wait is shielded from a cancel the
   * workflow refused (an order already dispatched).
   */
  async viewOnce(done: () => boolean): Promise<View> {
    const atRest = patched(patches.answerAtRest);
    let firstCheck = true;
    const answered = () => {
      if (!atRest) return done();
      if (firstCheck) {
        firstCheck = false;
        return false;
      }
      return done() && this.mainAtRest;
    };
    await CancellationScope.nonCancellable(() => condition(answered));
    return this.view();
  }

  /** Between steps: a requested stop ends the forward steps here, and the saga unwinds. */
  stopIfAsked(): void {
    if (this.stop) throw ApplicationFailure.nonRetryable(this.stop.message, this.stop.type);
  }

  /**
   * Runs the forward steps. When one fails or a stop was asked for, every completed step is
   * undone newest first, the customer is told, and the saga ends CANCELLED or FAILED, or
   * NEEDS_ATTENTION if a compensation failed for good. True when every forward step ran.
   */
  async forwardOrUndo(steps: () => Promise<void>): Promise<boolean> {
    try {
      await steps();
      return true;
    } catch (err) {
      this.unwinding = true;
      this.failure ??= describeFailure(err);
      if (isDecline(this.failure.type)) this.setPayment('DECLINED');
      const undone = await this.unwind();
      if (!undone) this.failure = this.journal.compensationFailure();
      // The message goes out before the order counts as settled, so whoever waits for the
      // ending (a cancel Update) sees everything done.
      await this.tellEnding();
      this.moveTo(!undone ? 'NEEDS_ATTENTION' : this.cancelled ? 'CANCELLED' : 'FAILED');
      return false;
    }
  }

  /**
   * Runs the whole workflow to its ending. A cancel from the Web UI or CLI is the customer's
   * cancel: the current step finishes (so nothing it did goes unrecorded), then the saga unwinds.
   * Update handlers get their answers before the workflow closes; only NEEDS_ATTENTION fails it,
   * the ending an operator must act on.
   */
  async runToEnding(process: () => Promise<void>): Promise<View> {
    CancellationScope.current().cancelRequested.catch(() => {
      if (!this.cancelRefusal()) this.requestStop({ type: 'Cancelled', message: 'cancelled by an operator' });
    });
    this.noteEvent();
    await CancellationScope.nonCancellable(async () => {
      await process();
      const recording = this.recordEvents();
      if (recording) await recording;
      this.ended = true;
      await condition(allHandlersFinished);
    });
    if (this.status === 'NEEDS_ATTENTION') {
      throw ApplicationFailure.nonRetryable(this.failure?.message ?? 'needs attention', 'NeedsAttention', this.view());
    }
    return this.view();
  }

  /**
   * Runs every compensation, newest first, each recorded in the journal. Not cancellable, so a
   * cancelled order still gives back what it took; one that fails after its retries does not
   * stop the others. True when all of them succeeded.
   */
  private unwind(): Promise<boolean> {
    return CancellationScope.nonCancellable(async () => {
      let allSucceeded = true;
      for (let next = this.compensations.pop(); next; next = this.compensations.pop()) {
        try {
          await this.journal.compensation(next.name, next.undo);
        } catch (err) {
          allSucceeded = false;
          log.error('compensation failed for good', { compensation: next.name, error: String(err) });
        }
      }
      return allSucceeded;
    });
  }
}

/** A validator's refusal: the Update is rejected (the API answers 409) and nothing changes. */
export function refuse(refusal: string | undefined): void {
  if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'InvalidState');
}

/** Checks a workflow's input at its own edge; a bad one fails the workflow, not its task. */
export function validInput<I>(check: (input: unknown) => I, input: unknown): I {
  try {
    return check(input);
  } catch (err) {
    if (err instanceof InputProblem) throw ApplicationFailure.nonRetryable(`invalid input: ${err.message}`, 'InvalidInput');
    throw err;
  }
}
