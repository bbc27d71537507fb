// The view a workflow writes to its memo, and the main code's waits: the server keeps the view,
// so readers never run the workflow; the waits say when the main code is at rest.
import { condition, patched, setCurrentDetails, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { hasPatch, patches } from './patches';

/**
 * The API reads `memo.view` through DescribeWorkflowExecution: what only completed workflow
 * tasks have written, so a read needs no worker and cannot make a workflow run ahead of its
 * history, as a query can (docs/HOW-IT-WORKS.md, "Known issue: a query can run a workflow ahead of its history").
 */
export class PublishedView<V> {
  /** The view as last written; the API wrote the first one when it started the workflow. */
  private written = JSON.stringify(workflowInfo().memo?.view ?? null);
  /** The view as last written, but for its list of steps. */
  private writtenHeadline = JSON.stringify({ ...(workflowInfo().memo?.view ?? {}), steps: undefined });
  /** Memo fields to write with the view's next write. */
  private extra: Record<string, unknown> | null = null;
  /** What the main code waits for while it waits for someone else (`until`); null while it works. */
  private waitingFor: (() => boolean) | null = null;
  /** Set once the main code has ended and only waits for Update handlers to answer. */
  private ended = false;

  /**
   * @param render the workflow's view as it stands
   * @param details where the workflow stands, in a few lines of Temporal markdown, for the Web UI
   */
  constructor(
    readonly render: () => V,
    private readonly details: (view: V) => string,
  ) {}

  /**
   * Writes the view to the memo if it changed since it was last written. Called before every wait
   * and on every status change, so the memo is current whenever the main code waits or the status
   * moves, with one memo write per workflow task at most.
   */
  publish(): void {
    this.write(false);
  }

  /**
   * Before a step: writes the view only if more than its list of steps changed (the payment, the
   * shipment, an undone step). Steps done since the last wait reach the memo with the next status
   * change or wait, which the steps' own activities are all that stand between. Earlier workflows
   * write whatever changed.
   */
  publishBeforeStep(): void {
    this.write(patched(patches.fewerWrites));
  }

  /** Memo fields besides the view (the coffee order's barista), written with the view's next write. */
  alsoWrite(fields: Record<string, unknown>): void {
    if (!patched(patches.fewerWrites)) {
      upsertMemo(fields);
      return;
    }
    this.extra = { ...this.extra, ...fields };
  }

  private write(unlessOnlySteps: boolean): void {
    const view = this.render();
    // The Web UI's "current details": where the saga stands. Answered to a query, not a command.
    setCurrentDetails(this.details(view));
    if (!hasPatch(patches.viewInMemo)) return;
    const json = JSON.stringify(view);
    const headline = JSON.stringify({ ...view, steps: undefined });
    if (this.extra === null && (json === this.written || (unlessOnlySteps && headline === this.writtenHeadline))) return;
    this.written = json;
    this.writtenHeadline = headline;
    upsertMemo({ ...this.extra, view });
    this.extra = null;
  }

  /** The main workflow's wait: publishes what it has done so far, then waits. */
  until(done: () => boolean): Promise<void>;
  until(done: () => boolean, timeoutMs: number): Promise<boolean>;
  until(done: () => boolean, timeoutMs?: number): Promise<void | boolean> {
    this.publish();
    this.waitingFor = done;
    const waited: Promise<void | boolean> = timeoutMs === undefined ? condition(done) : condition(done, timeoutMs);
    return waited.finally(() => {
      this.waitingFor = null;
    });
  }

  /** The main code has ended: from now on it only waits for Update handlers to answer. */
  end(): void {
    this.ended = true;
  }

  /**
   * Whether the main code is at rest: ended, or waiting for someone else with nothing yet to
   * release it. It has then issued every command of its last move, so an answer given now falls
   * after them, however many microtasks each side took.
   */
  get mainCodeAtRest(): boolean {
    return this.ended || (this.waitingFor !== null && !this.waitingFor());
  }
}
