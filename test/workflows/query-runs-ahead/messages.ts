// The small coffee order's query, Update and activities: imported by its workflow and by the test.
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type SmallOrderStatus = 'RECEIVED' | 'QUEUED' | 'CLAIMED';

/** The status as the workflow holds it right now. */
export const getStatus = defineQuery<SmallOrderStatus>('getStatus');

/** A barista takes the order; refused unless it is QUEUED. Answers the new status. */
export const claimOrder = defineUpdate<SmallOrderStatus, []>('claimOrder');

export interface SmallOrderActivities {
  recordOrder(): Promise<void>;
  /** Completes asynchronously: the payment provider's confirmation arrives from outside. */
  capturePayment(): Promise<void>;
}
