// What a workflow did, step by step: the history a customer or operator reads in the API.
import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/workflow';
import { type FailureRecord, isFailureType, type StepRecord } from '../shop';

export class Journal {
  readonly steps: StepRecord[] = [];
  readonly compensations: StepRecord[] = [];

  /** @param beforeEach runs as each step or compensation begins (the record publishes its view). */
  constructor(private readonly beforeEach: () => void = () => undefined) {}

  /** Runs one step of the process and records whether it completed. */
  step<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.beforeEach();
    return record(this.steps, name, run);
  }

  /** Runs one compensation and records whether it completed. */
  compensation<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.beforeEach();
    return record(this.compensations, name, run);
  }

  /** The failure to report when compensations could not all be run: what a person must undo. */
  compensationFailure(): FailureRecord {
    const failed = this.compensations.filter((c) => c.status === 'FAILED').map((c) => c.name);
    return { type: 'CompensationFailed', message: `could not undo: ${failed.join(', ')}` };
  }
}

async function record<T>(into: StepRecord[], name: string, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    into.push({ name, status: 'COMPLETED', at: new Date().toISOString() });
    return result;
  } catch (err) {
    const failure = describeFailure(err);
    into.push({ name, status: 'FAILED', at: new Date().toISOString(), detail: `${failure.type}: ${failure.message}` });
    throw err;
  }
}

/**
 * The business reason behind a failure, as a type from the one list in `src/domain`: an
 * activity's typed ApplicationFailure if there is one. A type no one named is `Unexpected`, its
 * original name kept in the message for whoever investigates.
 */
export function describeFailure(err: unknown): FailureRecord {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
  if (isFailureType(type)) return { type, message: (cause as ApplicationFailure).message };
  if (cause instanceof CancelledFailure) return { type: 'Cancelled', message: cause.message };
  if (cause instanceof TimeoutFailure) return { type: 'TimedOut', message: cause.message };
  const name = cause instanceof ApplicationFailure ? cause.type : cause instanceof Error ? cause.name : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  return { type: 'Unexpected', message: name ? `${name}: ${message}` : message };
}
