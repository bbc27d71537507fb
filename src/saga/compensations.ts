// What undoes each completed step, newest first.
import { CancellationScope, log } from '@temporalio/workflow';
import type { Journal } from './journal';

export class Compensations {
  private readonly stack: { name: string; undo: () => Promise<void> }[] = [];

  /** Registers the compensation of the step that has just completed. */
  push(name: string, undo: () => Promise<void>): void {
    this.stack.push({ name, undo });
  }

  /**
   * Runs every compensation, newest first, each recorded in the journal. Not cancellable, so a
   * cancelled order still gives back what it took; one that fails after its retries does not
   * stop the others. True when all of them succeeded.
   */
  unwind(journal: Journal): Promise<boolean> {
    return CancellationScope.nonCancellable(async () => {
      let allSucceeded = true;
      for (let next = this.stack.pop(); next; next = this.stack.pop()) {
        try {
          await journal.compensation(next.name, next.undo);
        } catch (err) {
          allSucceeded = false;
          log.error('compensation failed for good', { compensation: next.name, error: String(err) });
        }
      }
      return allSucceeded;
    });
  }
}
