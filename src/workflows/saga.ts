// The compensation stack: each completed step pushes its inverse; a failure pops them in reverse.
import { CancellationScope, log } from '@temporalio/workflow';
import type { Journal } from './journal';

interface Compensation {
  name: string;
  undo: () => Promise<unknown>;
}

export class Compensations {
  private readonly stack: Compensation[] = [];

  /** Registers the inverse of a step that has just completed. */
  add(name: string, undo: () => Promise<unknown>): void {
    this.stack.push({ name, undo });
  }

  /**
   * Runs every registered compensation, newest first, and records each in the journal. It is
   * not cancellable, so a cancelled order still gives back what it took; a compensation that
   * fails after its retries does not stop the others. Returns true when all of them succeeded.
   */
  async unwind(journal: Journal): Promise<boolean> {
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
