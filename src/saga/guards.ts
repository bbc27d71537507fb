// The edges of a workflow: its input checked where it arrives, and an Update refused by its validator.
import { ApplicationFailure } from '@temporalio/workflow';
import { InputProblem } from '../shop';

/** A validator's refusal: the Update is rejected (the API answers 409) and nothing changes. */
export function refuse(refusal: string | undefined): void {
  if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'InvalidState');
}

/** Checks a workflow's input at its own edge; a bad one fails the workflow, not its task. */
export function validInput<I>(check: (input: unknown) => I, input: unknown): I {
  try {
    return check(input);
  } catch (err) {
    if (err instanceof InputProblem) throw ApplicationFailure.nonRetryable(`invalid input: ${err.message}`, 'InvalidInput');
    throw err;
  }
}
