// The reconciliation's activities: compare the business database with what Temporal says of each
// order (open or closed, how it closed, its last status), heal what is safe to heal, and record the
// report. The money is checked as the payment provider itself tells it (the simulated gateway's
// table, or Stripe's PaymentIntents).
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Services } from '../services';
import { BusinessError, SHIFT_MANAGER } from '../shop';
import type { WorkflowKind } from '../shop/workflow-kind';
import { countByKind, type Drift, type ReconciliationReport } from './drift';

export interface ReconciliationSettings {
  /** Mail and events waiting longer than this are drift. */
  outboxMinutes: number;
  /** The shop's dispatch deadline: an order not collected by then should have cancelled itself. */
  dispatchDeadlineHours: number;
  /** Tells the metrics what a run found. */
  found?: (counts: ReconciliationReport['counts']) => void;
}

/** Where an order stands in Temporal: open, or closed and how, with its last status. */
interface OrderState {
  kind: WorkflowKind;
  workflowId: string;
  running: boolean;
  closedAs: string;
  status: string | undefined;
}

/** How far back captures and closings are checked: older ones were reconciled by earlier runs. */
const WINDOW_DAYS = 7;

export function reconciliationActivities(services: Pick<Services, 'ledger' | 'payments' | 'inventory' | 'notificationOutbox' | 'paymentRecords'>, kinds: readonly WorkflowKind[], settings: ReconciliationSettings) {
  return {
    async findDrift(): Promise<Drift[]> {
      const client = Context.current().client;
      const states = new Map<string, Promise<OrderState | undefined>>();
      const stateOf = (orderId: string) => {
        if (!states.has(orderId)) states.set(orderId, orderState(client, kinds, orderId));
        return states.get(orderId)!;
      };
      const ended = (state: OrderState | undefined) => (state ? `${state.workflowId} ended ${state.status ?? state.closedAs}` : 'no workflow has this order');
      const drift: Drift[] = [];

      for (const payment of await services.payments.moneyHeldOrTaken(daysAgo(WINDOW_DAYS))) {
        // The payment step noted the order when it opened the payment; else the provider names it
        // (a payment taken by hand, with the order id in its metadata).
        const orderId = (await services.paymentRecords.find(payment.paymentId))?.orderId ?? payment.orderId;
        if (!orderId) continue; // not one of the shop's orders: another of the account's sales
        const p = { ...payment, orderId };
        const state = await stateOf(p.orderId);
        if (state?.running) continue;
        const paidFor = state !== undefined && state.kind.paidFor.includes(state.status ?? '');
        const what = `payment ${p.paymentId} of ${p.amountCents} cents`;
        if (p.status === 'AUTHORIZED' && paidFor) drift.push({ kind: 'completed-not-captured', orderId: p.orderId, detail: `${what} is only authorized; ${ended(state)}` });
        // Voided only for an order the shop ran: with no workflow, the hold may be another system's.
        else if (p.status === 'AUTHORIZED') drift.push({ kind: 'money-held-for-ended-order', orderId: p.orderId, detail: `${what} is still held; ${ended(state)}`, ...(state && { heal: { payment: p.paymentId } }) });
        else if (!paidFor) drift.push({ kind: 'captured-not-completed', orderId: p.orderId, detail: `${what} was captured; ${ended(state)}` });
      }

      for (const r of await services.ledger.heldReservations()) {
        const state = await stateOf(r.orderId);
        if (!state?.running) drift.push({ kind: 'stock-held-for-no-open-order', orderId: r.orderId, detail: `reservation ${r.reservationId} still holds stock; ${ended(state)}`, heal: { reservation: r.reservationId } });
      }

      const waiting = await services.ledger.waitingSince(new Date(Date.now() - settings.outboxMinutes * 60_000).toISOString());
      for (const m of waiting.mail) drift.push({ kind: 'mail-waiting', detail: `message ${m.id} (${m.template}) not sent since ${m.since}` });
      for (const e of waiting.events) drift.push({ kind: 'events-waiting', orderId: e.orderId, detail: `event ${e.eventId} not published since ${e.since}` });

      // What the provider said of orders already ended: each reported by the run after it came.
      const lastRun = await services.ledger.latestRun();
      for (const e of await services.paymentRecords.forEndedOrders(lastRun?.startedAt ?? daysAgo(WINDOW_DAYS))) {
        drift.push({ kind: 'payment-contested', orderId: e.orderId, detail: `${e.kind} of ${e.amountCents} cents on payment ${e.paymentId}${e.reason ? ` (${e.reason})` : ''}, Stripe event ${e.eventId} at ${e.receivedAt}` });
      }

      // The shop's orders are those on its task queue, the one this reconciliation runs on.
      const shop = `TaskQueue = '${Context.current().info.taskQueue}'`;
      for (const kind of kinds) {
        const { hours, statuses } = kind.overdue(settings.dispatchDeadlineHours);
        const inStatus = statuses ? ` AND ${kind.statusAttribute.name} IN (${statuses.map((s) => `'${s}'`).join(', ')})` : '';
        const overdue = `${shop} AND WorkflowType = '${kind.workflowType}' AND ExecutionStatus = 'Running' AND StartTime < '${hoursAgo(hours)}'${inStatus}`;
        for await (const w of client.workflow.list({ query: overdue })) drift.push({ kind: 'open-past-deadline', orderId: kind.orderIdOf(w.workflowId), detail: `${w.workflowId} open since ${w.startTime.toISOString()}` });
        const closedOutside = `${shop} AND WorkflowType = '${kind.workflowType}' AND ExecutionStatus IN ('Terminated', 'TimedOut') AND CloseTime > '${daysAgo(WINDOW_DAYS)}'`;
        for await (const w of client.workflow.list({ query: closedOutside })) {
          drift.push({ kind: 'closed-from-outside', orderId: kind.orderIdOf(w.workflowId), detail: `${w.workflowId} ${w.status.name.toLowerCase().replace('_', ' ')} at ${w.closeTime?.toISOString()}` });
        }
      }
      return drift;
    },

    /** Heals one drift, idempotently: a retry, or the next run, finds it healed already. */
    async healDrift({ runId, drift }: { runId: string; drift: Drift }): Promise<boolean> {
      const heal = drift.heal;
      if (!heal) return false;
      try {
        if ('payment' in heal) await services.payments.voidAuthorization({ idempotencyKey: `reconcile/${heal.payment}/void`, paymentId: heal.payment });
        else await services.inventory.release({ idempotencyKey: `reconcile/${heal.reservation}/release`, reservationId: heal.reservation });
      } catch (err) {
        // Moved on since the scan (captured, shipped): nothing to heal, and the report says so.
        if (err instanceof BusinessError) return false;
        throw err;
      }
      Context.current().log.info('reconciliation healed', { runId, drift: drift.kind, orderId: drift.orderId });
      return true;
    },

    /** Records the run, tells the metrics, and mails the shift manager when it found anything. */
    async recordReconciliation({ runId, startedAt, drift }: { runId: string; startedAt: string; drift: Drift[] }): Promise<ReconciliationReport> {
      const counts = countByKind(drift);
      const healed = drift.filter((d) => d.healed).length;
      const finishedAt = await services.ledger.recordRun({ runId, startedAt, driftCount: drift.length, healedCount: healed, report: { runId, startedAt, counts, drift } });
      settings.found?.(counts);
      if (drift.length > 0) {
        const kindsFound = Object.entries(counts).filter(([, n]) => n > 0).map(([kind, n]) => `${kind}: ${n}`).join(', ');
        await services.notificationOutbox.enqueue({ idempotencyKey: `reconcile/${runId}/report`, recipient: SHIFT_MANAGER, template: 'reconciliation-drift', data: { runId, found: drift.length, healed, kinds: kindsFound } });
      }
      return { runId, startedAt, finishedAt, counts, drift };
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof reconciliationActivities>;

/** The order's workflow, of whichever kind has one by that id. */
async function orderState(client: Client, kinds: readonly WorkflowKind[], orderId: string): Promise<OrderState | undefined> {
  for (const kind of kinds) {
    const workflowId = kind.workflowId(orderId);
    try {
      const d = await client.workflow.getHandle(workflowId).describe();
      return { kind, workflowId, running: d.status.name === 'RUNNING', closedAs: d.status.name, status: d.typedSearchAttributes.get(kind.statusAttribute) as string | undefined };
    } catch (err) {
      if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
    }
  }
  return undefined;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const daysAgo = (days: number) => hoursAgo(days * 24);
