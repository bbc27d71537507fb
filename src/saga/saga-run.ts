// How a saga runs: forward through its steps, or back through their compensations, to an ending.
import { allHandlersFinished, ApplicationFailure, CancellationScope, condition } from '@temporalio/workflow';
import { isDecline } from '../shop';
import { describeFailure } from './journal';
import type { Saga } from './saga';

/**
 * Runs the forward steps. When one fails or a stop was asked for, every completed step is
 * undone newest first, the customer is told, and the saga ends CANCELLED or FAILED, or
 * NEEDS_ATTENTION if a compensation failed for good. True when every forward step ran.
 */
export async function forwardOrUndo<View>(saga: Saga<string, View>, steps: () => Promise<void>): Promise<boolean> {
  try {
    await steps();
    return true;
  } catch (err) {
    saga.unwinding = true;
    saga.failure ??= describeFailure(err);
    if (isDecline(saga.failure.type)) saga.setPayment('DECLINED');
    const undone = await saga.compensations.unwind(saga.journal);
    if (!undone) saga.failure = saga.journal.compensationFailure();
    // The message goes out before the order counts as settled, so whoever waits for the
    // ending (a cancel Update) sees everything done.
    await saga.tellEnding();
    saga.moveTo(!undone ? 'NEEDS_ATTENTION' : saga.cancelled ? 'CANCELLED' : 'FAILED');
    return false;
  }
}

/**
 * Runs the whole workflow to its ending. A cancel from the Web UI or CLI is the customer's
 * cancel: the current step finishes (so nothing it did goes unrecorded), then the saga unwinds.
 * Update handlers get their answers before the workflow closes; only NEEDS_ATTENTION fails it,
 * the ending an operator must act on.
 */
export async function runToEnding<View>(saga: Saga<string, View>, process: () => Promise<void>): Promise<View> {
  CancellationScope.current().cancelRequested.catch(() => {
    if (!saga.cancelRefusal()) saga.requestStop({ type: 'Cancelled', message: 'cancelled by an operator' });
  });
  saga.noteStatusEvent();
  await CancellationScope.nonCancellable(async () => {
    await process();
    saga.writeChanges();
    const recording = saga.events.flush();
    if (recording) await recording;
    saga.published.end();
    await condition(allHandlersFinished);
  });
  if (saga.status === 'NEEDS_ATTENTION') {
    throw ApplicationFailure.nonRetryable(saga.failure?.message ?? 'needs attention', 'NeedsAttention', saga.view());
  }
  return saga.view();
}
