// An idempotent handler's memory: the events a consumer has handled, in its own database, written
// in the same transaction as the handler's effect. A redelivered event (the acknowledgement was
// lost, the consumer died before sending it) finds its id there and changes nothing.
import Database from 'better-sqlite3';
import type { ShopEvent } from '../../shop';

export class ProcessedEvents {
  private readonly db: Database.Database;

  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS processed_events (event_id TEXT PRIMARY KEY, processed_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS order_status (
        kind TEXT NOT NULL, order_id TEXT NOT NULL, status TEXT NOT NULL, sequence INTEGER NOT NULL, occurred_at TEXT NOT NULL,
        PRIMARY KEY (kind, order_id)
      );`);
  }

  /**
   * Runs the effect for an event not handled before and records the event with it, atomically.
   * False, with nothing done, for one handled before.
   */
  once(event: ShopEvent, effect: (db: Database.Database) => void = () => undefined): boolean {
    return this.db.transaction(() => {
      const fresh = this.db.prepare('INSERT OR IGNORE INTO processed_events (event_id, processed_at) VALUES (?, ?)').run(event.eventId, new Date().toISOString());
      if (fresh.changes === 0) return false;
      effect(this.db);
      return true;
    })();
  }

  /**
   * The usual effect of a reading system: its own copy of each order's latest status. A later
   * sequence wins, so an event redelivered after a newer one (its handler failed at first) cannot
   * move an order back.
   */
  static keepLatestStatus(event: ShopEvent): (db: Database.Database) => void {
    return (db) =>
      db
        .prepare(
          `INSERT INTO order_status (kind, order_id, status, sequence, occurred_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (kind, order_id) DO UPDATE SET status = excluded.status, sequence = excluded.sequence, occurred_at = excluded.occurred_at
           WHERE excluded.sequence > order_status.sequence`,
        )
        .run(event.kind, event.orderId, event.status, event.sequence, event.occurredAt);
  }

  latestStatus(kind: ShopEvent['kind'], orderId: string): { status: string; sequence: number } | undefined {
    return this.db.prepare('SELECT status, sequence FROM order_status WHERE kind = ? AND order_id = ?').get(kind, orderId) as { status: string; sequence: number } | undefined;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM processed_events').get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
