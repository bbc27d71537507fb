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

export type BusinessFailureType = (typeof BusinessFailureTypes)[number];
export type TransientFailureType = (typeof TransientFailureTypes)[number];
export type FailureType = BusinessFailureType | TransientFailureType;

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
