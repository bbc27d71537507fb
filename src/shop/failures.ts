// The one list of failure types used by services, activities, workflows and the API.

/** Refusals that retrying cannot change: the workflow stops trying and compensates. */
export const BusinessFailureTypes = [
  'CardDeclined',
  'InsufficientFunds',
  'InvalidPaymentToken',
  'OutOfStock',
  'UnknownSku',
  'AddressRejected',
  'IdempotencyConflict',
  'InvalidState',
  'NotFound',
] as const;

/** Faults of a remote system that usually pass: activities retry them. */
export const TransientFailureTypes = ['GatewayUnavailable', 'CarrierUnavailable'] as const;

/** How a saga stops or ends badly for reasons of its own, and what the API adds about it. */
export const SagaFailureTypes = [
  /** The customer, an operator or the dispatch deadline cancelled the order. */
  'Cancelled',
  /** The barista could not make the drinks. */
  'BaristaFailed',
  /** A compensation failed after all its retries: a person must undo what is left. */
  'CompensationFailed',
  /** The workflow's own failure when it ends NEEDS_ATTENTION (its details hold the view). */
  'NeedsAttention',
  /** The workflow was started with an input that does not pass its schema. */
  'InvalidInput',
  /** The workflow was terminated or timed out from outside before its order was settled. */
  'WorkflowClosed',
  /** A step ran out of time on every attempt. */
  'TimedOut',
  /** Anything else: a bug or a fault no one named. The message keeps the original type. */
  'Unexpected',
] as const;

export type BusinessFailureType = (typeof BusinessFailureTypes)[number];
export type TransientFailureType = (typeof TransientFailureTypes)[number];
export type SagaFailureType = (typeof SagaFailureTypes)[number];
export type FailureType = BusinessFailureType | TransientFailureType | SagaFailureType;

const failureTypes: ReadonlySet<string> = new Set([...BusinessFailureTypes, ...TransientFailureTypes, ...SagaFailureTypes]);

export function isFailureType(type: string | undefined): type is FailureType {
  return type !== undefined && failureTypes.has(type);
}

/** The gateway refused the card: the payment shows DECLINED. */
export function isDecline(type: FailureType): boolean {
  return type === 'CardDeclined' || type === 'InsufficientFunds';
}

/** Why an order failed or stopped, as its view shows it. */
export interface FailureRecord {
  type: FailureType;
  message: string;
}

/**
 * A refusal by one of our services. Services throw it; the activity layer turns it into a
 * non-retryable ApplicationFailure with the same type, so no Temporal type leaks into services.
 */
export class BusinessError extends Error {
  constructor(
    readonly type: BusinessFailureType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** A fault of a (simulated) remote system that a retry may get past. */
export class TransientError extends Error {
  constructor(
    readonly type: TransientFailureType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}
