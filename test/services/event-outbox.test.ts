// The events outbox: each event once by its id, taken for publishing in the order it was written.
import { beforeEach, describe, expect, it } from 'vitest';
import { EventOutbox } from '../../src/services';
import { orderEvent } from '../support/order-events';
import { useFreshDatabase, uniqueId } from '../support/database';

describe('EventOutbox', () => {
  const fresh = useFreshDatabase();
  let outbox: EventOutbox;

  beforeEach(async () => {
    outbox = new EventOutbox(fresh.db);
  });

  it('keeps an event written twice (a retried write) once, with what was first written', async () => {
    const order = uniqueId('o');
    await outbox.record([orderEvent(order, 1), orderEvent(order, 2)]);
    await outbox.record([orderEvent(order, 2), { ...orderEvent(order, 3) }]);
    await outbox.record([{ ...orderEvent(order, 1), status: 'SOMETHING_ELSE' }]);

    const kept = await outbox.ofOrder('order', order);
    expect(kept.map((e) => [e.event.sequence, e.event.status])).toEqual([
      [1, 'RECEIVED'],
      [2, 'INVENTORY_RESERVED'],
      [3, 'PAYMENT_AUTHORIZED'],
    ]);
    expect(await outbox.counts()).toEqual({ published: 0, unpublished: 3 });
  });

  it('hands out unpublished events in the order they were written, each order in sequence, until marked', async () => {
    const [a, b] = [uniqueId('a'), uniqueId('b')];
    await outbox.record([orderEvent(a, 1)]);
    await outbox.record([orderEvent(b, 1)]);
    await outbox.record([orderEvent(a, 2), orderEvent(a, 3)]);
    await outbox.record([orderEvent(b, 2)]);

    const due = await outbox.unpublished(10);
    expect(due.filter((e) => e.orderId === a).map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(due.filter((e) => e.orderId === b).map((e) => e.sequence)).toEqual([1, 2]);
    expect(await outbox.unpublished(2)).toHaveLength(2);

    await outbox.markPublished(orderEvent(a, 1).eventId, 7);
    expect((await outbox.unpublished(10)).map((e) => e.eventId)).not.toContain(orderEvent(a, 1).eventId);
    expect(await outbox.counts()).toEqual({ published: 1, unpublished: 4 });
    const [first] = await outbox.ofOrder('order', a);
    expect(first!.publishedAt).not.toBeNull();
  });
});
