// Every patch in the workflows, in one place: what it changed, since when, and what running
// workflows still need it. A patch's id is recorded in the histories of the workflows that took
// the new path, so an id never changes. Since workers are versioned (docs/OPERATIONS.md,
// "Deploying a change"), a change to the steps ships as a new version instead; a patch is for code that must
// meet workflows started on other code. Each stays until no workflow started before it is open:
// then `deprecatePatch`, and in a later deploy remove both.
import { patched } from '@temporalio/workflow';

export const patches = {
  /**
   * 2026-11-22: the customer's message on delivery (`order-fulfillment.ts`). Orders that passed
   * delivery before it complete without the message.
   */
  notifyOnDelivery: 'notify-on-delivery',
  /**
   * 2026-11-24: each workflow writes its view to its memo (`published-view.ts`), which the API
   * reads. Earlier workflows start writing it at their next live step.
   */
  viewInMemo: 'view-in-memo',
  /**
   * 2026-11-24: Update handlers answer once the main code is at rest (`update-answers.ts`).
   * Earlier workflows keep answering as soon as the condition holds.
   */
  answerAtRest: 'answer-at-rest',
  /**
   * 2026-11-24: the carrier's deadline to collect a parcel (`order-fulfillment.ts`). Earlier
   * orders wait for the carrier without one.
   */
  dispatchDeadline: 'dispatch-deadline',
  /**
   * 2026-11-24: a coffee customer is told of a cancel or a failure (`coffee-record.ts`). Earlier
   * coffee orders end without the message.
   */
  coffeeTellsEnding: 'coffee-tells-ending',
  /**
   * 2026-11-24: each status change is written to the events outbox by a local activity
   * (`saga.ts`). Earlier workflows write from their next live status change on.
   */
  orderEvents: 'order-events',
  /**
   * 2026-12-05: fewer writes to Temporal per order (issue 24). One marker stands for every patch
   * above ({@link hasPatch}), where each used to record its own marker and upsert
   * `TemporalChangeVersion`; no status upsert the start already made (`saga.ts`); between waits the
   * view goes to the memo only when more than its list of steps changed (`published-view.ts`).
   * Earlier workflows keep their writes.
   */
  fewerWrites: 'fewer-writes',
} as const;

type PatchId = (typeof patches)[keyof typeof patches];

/**
 * Whether the workflow takes the path of `patch`. A workflow started on code with
 * `fewer-writes` takes every earlier patch's path without a marker of its own: the one marker says
 * so. An earlier workflow answers from its own markers, as it always did.
 */
export function hasPatch(patch: Exclude<PatchId, typeof patches.fewerWrites>): boolean {
  return patched(patches.fewerWrites) || patched(patch);
}
