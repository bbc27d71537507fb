// What both workflows do the same way: call activities, derive idempotency keys, validate
// input, notify someone.
import { ApplicationFailure, CancellationScope, allHandlersFinished, condition, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { FailureRecord } from '../domain';
import { forwardStep, mustComplete } from './activity-options';
import type { Journal } from './journal';

/** Forward steps: given up on after about 35 s, and the saga unwinds. */
export const steps = proxyActivities<Activities>(forwardStep);
/** Compensations and steps that must happen once due: retried for about 15 minutes. */
export const settle = proxyActivities<Activities>(mustComplete);

/** Idempotency keys derive from the workflow and the step, so every retry carries the same one. */
export function idempotencyKey(step: string): string {
  return `${workflowInfo().workflowId}/${step}`;
}

/** Checks a workflow's input at its own edge; a bad one fails the workflow, not its task. */
export function validInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid input: ${parsed.error.message}`, 'InvalidInput');
  return parsed.data;
}

/** Queues a message in the outbox. One that cannot be queued is journaled, never fatal. */
export async function notify(journal: Journal, recipient: string, template: string, data: Record<string, unknown>): Promise<void> {
  try {
    await journal.step(`notify:${template}`, () =>
      steps.sendNotification({ idempotencyKey: idempotencyKey(`notify-${template}`), recipient, template, data }),
    );
  } catch (err) {
    log.warn('notification not queued', { template, error: String(err) });
  }
}

/**
 * Runs a workflow's body to its ending without letting a cancel cut it short (a cancel request
 * is turned into the business cancel by the caller), waits for update handlers to answer, and
 * returns the final view. Only NEEDS_ATTENTION fails the workflow: the ending an operator must
 * act on.
 */
export async function runToEnding<V>(record: { status: string; failure: FailureRecord | null; view(): V }, body: () => Promise<void>): Promise<V> {
  await CancellationScope.nonCancellable(async () => {
    await body();
    await condition(allHandlersFinished);
  });
  if (record.status === 'NEEDS_ATTENTION') {
    throw ApplicationFailure.nonRetryable(record.failure?.message ?? 'needs attention', 'NeedsAttention', record.view());
  }
  return record.view();
}
