// Retry policies and timeouts for every activity call, each number with its reason, and the task
// queue the payment steps run on.
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { BusinessFailureTypes } from '../shop';

/**
 * Forward steps (reserve, authorize, book a shipment, notify). Each call is a few database
 * statements or one gateway request, so 10 s only trips on a stuck process. A gateway blip
 * usually clears in a second or two: start retrying at 0.5 s and double up to 10 s. After
 * 8 attempts (about 35 s) the step counts as failed and the order is compensated, rather than
 * keeping the customer's stock and money on hold indefinitely.
 */
export const forwardStep: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 8,
    nonRetryableErrorTypes: [...BusinessFailureTypes],
  },
};

/**
 * Steps that must happen once they are due: compensations (give back stock, void or refund
 * money, cancel a shipment) and the capture after dispatch. Giving up early would leave money
 * or stock wrong, so they keep trying for about 15 minutes (backoff up to a minute, 20
 * attempts) before the order is handed to a person as NEEDS_ATTENTION.
 */
export const mustComplete: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [...BusinessFailureTypes],
  },
};

/**
 * Writing status changes to the events outbox: a local activity, run by the worker inside the
 * workflow task that made the change, so the event and the change reach Temporal together. It is
 * one small insert; 5 s only trips on a stuck database. It retries without end (backoff up to a
 * minute): giving up would lose the event, so the order waits for its database like any step.
 */
export const eventRecording: LocalActivityOptions = {
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * The payment steps' task queue, beside the shop's own (`fulfillment` → `fulfillment-payments`):
 * Temporal holds the activities of one queue to one rate across every worker, so the steps that
 * call the payment provider get a queue of their own.
 */
export function paymentTaskQueue(taskQueue: string): string {
  return `${taskQueue}-payments`;
}
