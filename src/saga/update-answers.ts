// How an Update handler answers: with the view, once the main workflow has acted on the request.
import { CancellationScope, condition } from '@temporalio/workflow';
import { hasPatch, patches } from './patches';
import type { PublishedView } from './published-view';

/**
 * The view once `done` holds and the main workflow is at rest again (waiting for someone else,
 * or ended). Where the answer falls among the workflow's commands then depends on the workflow
 * alone, never on how many microtasks each side takes: not on the tracing interceptors, and not
 * on whether the Update came in the same workflow task as an activity's result (after a worker
 * restart, the chaos run found that an answer given at once could land before or after the main
 * code's reaction). The condition's first check, which the SDK makes at once, is always "not yet".
 *
 * Orders started before this keep the answer they were recorded with: as soon as `done` holds.
 * Handlers run in the workflow's root scope, so the wait is shielded from a cancel the workflow
 * refused (an order already dispatched).
 */
export async function answerOnceSettled<V>(published: PublishedView<V>, done: () => boolean): Promise<V> {
  await settled(published, done, hasPatch(patches.answerAtRest));
  return published.render();
}

/** Waits until `done` holds and the main workflow is at rest (only until `done` holds, for orders recorded before that). */
export async function settled(published: Pick<PublishedView<unknown>, 'mainCodeAtRest'>, done: () => boolean, atRest = true): Promise<void> {
  let firstCheck = true;
  const answered = () => {
    if (!atRest) return done();
    if (firstCheck) {
      firstCheck = false;
      return false;
    }
    return done() && published.mainCodeAtRest;
  };
  await CancellationScope.nonCancellable(() => condition(answered));
}
