// What the reconciliation reads of the business database (stock held, the outboxes' stragglers)
// and the runs it records; the money it asks of the payment provider (moneyHeldOrTaken). Reads
// only, but for the record of each run.
import { type Db, now } from '../platform/db/database';

export interface RecordedRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  driftCount: number;
  healedCount: number;
  /** The report as the run wrote it. */
  report: unknown;
}

export class Ledger {
  constructor(private readonly db: Db) {}

  /** Reservations of stock or ingredients still held. */
  async heldReservations(): Promise<{ reservationId: string; orderId: string }[]> {
    const rows = await this.db.selectFrom('reservations').select(['id', 'order_id']).where('status', '=', 'HELD').execute();
    return rows.map((r) => ({ reservationId: r.id, orderId: r.order_id }));
  }

  /** Mail not sent, and order events not published, that reached their outbox before `before`. */
  async waitingSince(before: string): Promise<{ mail: { id: string; template: string; since: string }[]; events: { eventId: string; orderId: string; since: string }[] }> {
    const mail = await this.db.selectFrom('notifications').select(['id', 'template', 'created_at']).where('status', '=', 'PENDING').where('created_at', '<', before).execute();
    const events = await this.db.selectFrom('order_events').select(['event_id', 'order_id', 'created_at']).where('published_at', 'is', null).where('created_at', '<', before).execute();
    return { mail: mail.map((m) => ({ id: m.id, template: m.template, since: m.created_at })), events: events.map((e) => ({ eventId: e.event_id, orderId: e.order_id, since: e.created_at })) };
  }

  /** Records a run once: the same run recorded again (a retried activity) changes nothing. */
  async recordRun(run: Omit<RecordedRun, 'finishedAt'>): Promise<string> {
    const finishedAt = now();
    await this.db
      .insertInto('reconciliation_runs')
      .values({ run_id: run.runId, started_at: run.startedAt, finished_at: finishedAt, drift_count: run.driftCount, healed_count: run.healedCount, report_json: JSON.stringify(run.report) })
      .onConflict((oc) => oc.column('run_id').doNothing())
      .execute();
    return finishedAt;
  }

  async latestRun(): Promise<RecordedRun | undefined> {
    const row = await this.db.selectFrom('reconciliation_runs').selectAll().orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
    return row && { runId: row.run_id, startedAt: row.started_at, finishedAt: row.finished_at, driftCount: Number(row.drift_count), healedCount: Number(row.healed_count), report: JSON.parse(row.report_json) };
  }
}
