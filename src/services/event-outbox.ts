// The events outbox: each order event is written here once, by the workflow's step that made the
// status change, and the publisher relays it to NATS JetStream in the order it was written.
import { type Db, now } from '../platform/db/database';
import { type ShopEvent, statusOfEventType } from '../shop';

export interface OutboxEvent {
  event: ShopEvent;
  createdAt: string;
  publishedAt: string | null;
}

export class EventOutbox {
  constructor(private readonly db: Db) {}

  /**
   * Writes the events once each: the event id is the key, so the workflow's retry (an activity
   * runs at least once) or its replay after a lost task adds nothing. One transaction, in order.
   */
  async record(events: readonly ShopEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      let position = await lastPosition(trx);
      for (const event of events) {
        position += 1;
        await trx
          .insertInto('order_events')
          .values({
            event_id: event.eventId,
            order_id: event.orderId,
            kind: event.kind,
            type: event.type,
            sequence: event.sequence,
            event_json: JSON.stringify(event),
            position,
            created_at: now(),
            published_at: null,
            stream_sequence: null,
          })
          .onConflict((oc) => oc.column('event_id').doNothing())
          .execute();
      }
    });
  }

  /**
   * The next events to publish, in the order they were written. An order's events are written one
   * step after another, each with a higher position, so its earlier ones always come first here.
   */
  async unpublished(limit: number): Promise<ShopEvent[]> {
    const rows = await this.db
      .selectFrom('order_events')
      .select('event_json')
      .where('published_at', 'is', null)
      .orderBy('position')
      .orderBy('sequence')
      .limit(limit)
      .execute();
    return rows.map((r) => JSON.parse(r.event_json) as ShopEvent);
  }

  async markPublished(eventId: string, streamSequence: number): Promise<void> {
    await this.db.updateTable('order_events').set({ published_at: now(), stream_sequence: streamSequence }).where('event_id', '=', eventId).execute();
  }

  /** Where the outbox ends now: the position of its last event, 0 when empty. */
  lastPosition(): Promise<number> {
    return lastPosition(this.db);
  }

  /** Which orders changed since `position`, oldest first: what a reader re-reads, not what it shows. */
  async changedSince(position: number, limit: number): Promise<{ position: number; kind: ShopEvent['kind']; orderId: string; status: string }[]> {
    const rows = await this.db.selectFrom('order_events').select(['position', 'kind', 'order_id', 'type']).where('position', '>', position).orderBy('position').limit(limit).execute();
    return rows.map((r) => ({ position: Number(r.position), kind: r.kind, orderId: r.order_id, status: statusOfEventType(r.kind, r.type) }));
  }

  /** One order's events, in sequence. */
  async ofOrder(kind: ShopEvent['kind'], orderId: string): Promise<OutboxEvent[]> {
    const rows = await this.db.selectFrom('order_events').selectAll().where('kind', '=', kind).where('order_id', '=', orderId).orderBy('sequence').execute();
    return rows.map((r) => ({ event: JSON.parse(r.event_json) as ShopEvent, createdAt: r.created_at, publishedAt: r.published_at }));
  }

  async counts(): Promise<{ published: number; unpublished: number }> {
    const rows = await this.db
      .selectFrom('order_events')
      .select([(eb) => eb.fn.countAll<number>().as('all'), (eb) => eb.fn.count<number>('published_at').as('published')])
      .execute();
    const all = Number(rows[0]?.all ?? 0);
    const published = Number(rows[0]?.published ?? 0);
    return { published, unpublished: all - published };
  }
}

/** The position of the outbox's last event, 0 when empty (in `db`, or in a transaction of it). */
async function lastPosition(db: Db): Promise<number> {
  const row = await db.selectFrom('order_events').select((eb) => eb.fn.max('position').as('top')).executeTakeFirst();
  return Number(row?.top ?? 0);
}
