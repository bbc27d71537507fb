// Turns our services' errors into Temporal failures: refusals stop retries, faults are retried.
import { ApplicationFailure } from '@temporalio/common';
import { BusinessError, TransientError } from '../../shop';

/** Wraps each activity of a group so that service errors reach the workflow with their type. */
export function withTypedFailures<A extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: A): A {
  const wrapped = Object.entries(activities).map(([name, fn]) => [
    name,
    async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw toFailure(err);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as A;
}

export function toFailure(err: unknown): unknown {
  if (err instanceof BusinessError) return ApplicationFailure.nonRetryable(err.message, err.type);
  if (err instanceof TransientError) return ApplicationFailure.retryable(err.message, err.type);
  return err;
}
