// A small coffee order: recorded, paid, then QUEUED, and only a QUEUED order can be claimed.
import { ApplicationFailure, condition, proxyActivities, setHandler, upsertMemo } from '@temporalio/workflow';
import { claimOrder, getStatus, type SmallOrderActivities, type SmallOrderStatus } from './messages';

const { recordOrder, capturePayment } = proxyActivities<SmallOrderActivities>({
  // The payment's confirmation comes from the test, seconds later; a retry must not race it.
  startToCloseTimeout: '10 minutes',
});

export async function smallCoffeeOrder(): Promise<SmallOrderStatus> {
  let status: SmallOrderStatus = 'RECEIVED';
  // Each change is also a memo: a command, so the history records whether the main code or the
  // Update handler moved the status first, and a replay must produce them in that order.
  const moveTo = (next: SmallOrderStatus) => {
    status = next;
    upsertMemo({ status });
  };

  setHandler(getStatus, () => status);
  setHandler(
    claimOrder,
    () => {
      moveTo('CLAIMED');
      return status;
    },
    {
      validator: () => {
        if (status !== 'QUEUED') throw ApplicationFailure.nonRetryable(`claim needs QUEUED, is ${status}`, 'ClaimRefused');
      },
    },
  );

  await recordOrder();
  await capturePayment();
  moveTo('QUEUED');
  await condition(() => status === 'CLAIMED');
  return status;
}
