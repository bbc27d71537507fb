// What the reconciliation finds: each kind of drift between money, stock, the outboxes and the
// orders' workflows, and the report of one run. Types and names only: the workflow sandbox loads it.

/** Every kind of drift, in the order the report lists them. */
export const driftKinds = [
  /** Money captured for an order that ended without completing (cancelled, failed, or needing a person). */
  'captured-not-completed',
  /** An order that completed while its payment is still only authorized: the capture is owed. */
  'completed-not-captured',
  /** An authorization still held for an order that has ended: healed by voiding it. */
  'money-held-for-ended-order',
  /** Stock or ingredients held for an order that has ended, or that has no workflow: healed by releasing them. */
  'stock-held-for-no-open-order',
  /** Mail in the outbox that has waited longer than the threshold. */
  'mail-waiting',
  /** Order events not yet on the stream after the threshold. */
  'events-waiting',
  /** An order still open past the time its own deadlines should have ended it. */
  'open-past-deadline',
  /** A workflow terminated or timed out from outside, so its saga never settled the order. */
  'closed-from-outside',
  /** A dispute, or a refund made outside the shop, that came (Stripe's webhook) after the order had ended: for a person. */
  'payment-contested',
] as const;
export type DriftKind = (typeof driftKinds)[number];

export interface Drift {
  kind: DriftKind;
  /** The order concerned, when the drift is an order's. */
  orderId?: string;
  /** What was found, for a person: ids, amounts, statuses. */
  detail: string;
  /** What healing it takes, when it can be healed safely: a payment to void, a reservation to release. */
  heal?: { payment: string } | { reservation: string };
  /** Set once the run has healed it. */
  healed?: boolean;
}

export interface ReconciliationReport {
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** Each kind's count, every kind listed (0 for a clean shop). */
  counts: Record<DriftKind, number>;
  drift: Drift[];
}

export function countByKind(drift: Drift[]): Record<DriftKind, number> {
  const counts = Object.fromEntries(driftKinds.map((kind) => [kind, 0])) as Record<DriftKind, number>;
  for (const d of drift) counts[d.kind] += 1;
  return counts;
}
