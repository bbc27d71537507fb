// Activities as saga steps: the two retry classes, and idempotency keys derived from the
// workflow and the step, so the steps name themselves once.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { forwardStep, mustComplete } from './activity-options';

/** Forward steps: given up on after about 35 s, and the saga unwinds. */
export const forward = proxyActivities<Activities>(forwardStep);
/** Compensations and steps that must happen once due: retried for about 15 minutes. */
export const toCompletion = proxyActivities<Activities>(mustComplete);

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

/** Calls activity `name` with its idempotency key (`reserveInventory` → `<workflow id>/reserve-inventory`). */
export function call<K extends StepName>(activities: Activities, name: K, input: StepInput<K>): Promise<StepResult<K>> {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const activity = activities[name] as (input: unknown) => Promise<StepResult<K>>;
  return activity({ idempotencyKey: stepKey(kebab), ...input });
}
