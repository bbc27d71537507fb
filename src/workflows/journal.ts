// What a workflow did, step by step: the history a customer or operator reads in the API.
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/workflow';
import type { FailureRecord, StepRecord } from '../domain';

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

/** The business reason behind a failure: an activity's typed ApplicationFailure if there is one. */
export function describeFailure(err: unknown): FailureRecord {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'Error', message: cause.message };
  if (cause instanceof CancelledFailure) return { type: 'Cancelled', message: cause.message };
  if (cause instanceof Error) return { type: cause.name, message: cause.message };
  return { type: 'Error', message: String(cause) };
}
