// Activities as saga steps: the two retry classes, and idempotency keys derived from the
// workflow and the step, so the steps name themselves once.
import { type ActivityOptions, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../services/activities';
import type { paymentActivities } from '../services/activities/payment';
import { formatCents, type ShopEvent } from '../shop';
import { eventRecording, forwardStep, mustComplete, paymentTaskQueue } from './activity-options';

export { forwardStep, mustComplete };

export type StepName = keyof Activities;
/** A step's input without its idempotency key, which the saga derives. */
export type StepInput<K extends StepName> = Omit<Parameters<Activities[K]>[0], 'idempotencyKey'>;
export type StepResult<K extends StepName> = Awaited<ReturnType<Activities[K]>>;

/**
 * A step's idempotency key derives from the workflow and the step (`order-A1/reserve-inventory`),
 * so every retry of the step carries the same one and the service acts once.
 */
export function stepKey(step: string): string {
  return `${workflowInfo().workflowId}/${step}`;
}

/**
 * The steps that call the payment provider, every one of the payment activities (the compiler
 * holds the list to them): they run on a task queue of their own, where Temporal holds them to
 * the provider's rate.
 */
const paymentSteps: Record<keyof ReturnType<typeof paymentActivities>, true> = { authorizePayment: true, chargePayment: true, capturePayment: true, voidAuthorization: true, refundPayment: true };

/**
 * Calls activity `name` with its idempotency key (`reserveInventory` → `<workflow id>/reserve-inventory`)
 * and a summary the Web UI shows on the activity ("authorize payment 25.00"); a payment step on
 * the payment steps' task queue.
 */
export function call<K extends StepName>(options: ActivityOptions, name: K, input: StepInput<K>): Promise<StepResult<K>> {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const queue = name in paymentSteps ? { taskQueue: paymentTaskQueue(workflowInfo().taskQueue) } : {};
  const activity = proxyActivities<Activities>({ ...options, ...queue, summary: summaryOf(name, input) })[name] as (input: unknown) => Promise<StepResult<K>>;
  return activity({ idempotencyKey: stepKey(kebab), ...input });
}

/** A message to the outbox, as a forward step; its own idempotency key is the caller's. */
export function queueNotification(input: Parameters<Activities['sendNotification']>[0]): Promise<void> {
  return proxyActivities<Activities>({ ...forwardStep, summary: summaryOf('sendNotification', input) }).sendNotification(input);
}

/** Writes status changes to the events outbox (a local activity: the event ids are their keys). */
export function recordEvents(events: ShopEvent[]): Promise<void> {
  return proxyLocalActivities<Activities>(eventRecording).recordOrderEvents({ events });
}

function summaryOf(name: string, input: Record<string, unknown>): string {
  const words = name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  const amount = typeof input.amountCents === 'number' ? ` ${formatCents(input.amountCents)}` : '';
  const template = typeof input.template === 'string' ? `: ${input.template}` : '';
  return `${words}${amount}${template}`;
}
