// The pages' live streams and the long-poll read over the real API, worker and database: an order
// that waits costs Temporal no read at all, and each change costs about one, however many watch it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '../support/database';
import { followStream } from '../support/server-sent-events';
import { waitFor } from '../support/wait';
import { orderFor, startTestApi, type TestApi } from './helpers';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

/** Reads the live streams have made so far, from the API's metrics. */
async function liveReads(): Promise<number> {
  const metrics = String((await api.http.get('/metrics')).body);
  return Number(/^api_live_reads_total (\d+)/m.exec(metrics)?.[1]);
}

/** A page following a stream of the API. */
const follow = (path: string) => followStream(new URL(path, api.http.baseUrl));

describe('the live stream of an order', () => {
  it('reads nothing while the order waits for the carrier, and about once per change, for 30 pages at once', async () => {
    const sku = uniqueId('sku');
    await api.http.put(`/inventory/${sku}`, { name: 'Mug', priceCents: 1250, available: 5 });
    const orderId = uniqueId('live');
    expect((await api.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': orderId })).status).toBe(202);
    await waitFor(() => api.http.get(`/orders/${orderId}`), (a) => a.body.status === 'SHIPMENT_CREATED', { what: 'the shipment to be booked' });

    const pages = await Promise.all(Array.from({ length: 30 }, () => follow(`/orders/${orderId}/events`)));
    await waitFor(() => pages, (ps) => ps.every((p) => p.statuses.includes('SHIPMENT_CREATED')), { what: 'every page to show the order' });
    const watching = await liveReads();
    await new Promise((r) => setTimeout(r, 2000));
    expect(await liveReads(), 'reads while the order waits').toBe(watching);

    for (const [event, status] of [['DISPATCHED', 'DISPATCHED'], ['DELIVERED', 'COMPLETED']] as const) {
      const before = await liveReads();
      expect((await api.http.post(`/orders/${orderId}/shipment-events`, { event })).status).toBe(202);
      await waitFor(() => pages, (ps) => ps.every((p) => p.statuses.includes(status)), { what: `every page to show ${status}` });
      // One read when the event is noticed; more only if the notice came before Temporal had it.
      expect((await liveReads()) - before, `reads for ${status}`).toBeLessThanOrEqual(3);
    }
    // COMPLETED cannot change: every stream ends.
    await Promise.all(pages.map((p) => p.ended));
    expect(pages[0]!.statuses).toEqual(['SHIPMENT_CREATED', 'DISPATCHED', 'COMPLETED']);
  });
});

describe('a read that waits for a change (?after=&wait=)', () => {
  it('answers once the order moves on from the status the client saw, with one read for the change, or as it stands when the wait is over', async () => {
    const sku = uniqueId('sku');
    await api.http.put(`/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 5 });
    const orderId = uniqueId('poll');
    await api.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': orderId });
    await waitFor(() => api.http.get(`/orders/${orderId}`), (a) => a.body.status === 'SHIPMENT_CREATED', { what: 'the shipment to be booked' });

    const before = await liveReads();
    let answered = false;
    const waiting = api.http.get(`/orders/${orderId}?after=SHIPMENT_CREATED&wait=20`).then((a) => ((answered = true), a));
    await new Promise((r) => setTimeout(r, 1000));
    expect(answered, 'answered before the order moved').toBe(false);
    await api.http.post(`/orders/${orderId}/shipment-events`, { event: 'DISPATCHED' });
    const moved = await waiting;
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('DISPATCHED');
    expect((await liveReads()) - before, 'reads: one at the start, about one for the change').toBeLessThanOrEqual(4);

    // Nothing changes within the wait: the order as it stands, once the wait is over. Asked again
    // right after an answer, the API has read it since the last change: no read at all.
    const answeredAt = await liveReads();
    const t0 = Date.now();
    const unchanged = await api.http.get(`/orders/${orderId}?after=DISPATCHED&wait=1`);
    expect(unchanged.body.status).toBe('DISPATCHED');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    // Already moved on: at once.
    expect((await api.http.get(`/orders/${orderId}?after=RECEIVED&wait=20`)).body.status).toBe('DISPATCHED');
    expect((await liveReads()) - answeredAt, 'reads when asked again with nothing changed').toBe(0);
  });

  it('refuses a wait over 30 s or a status the order cannot have, naming the parameter', async () => {
    const tooLong = await api.http.get(`/orders/${uniqueId('x')}?after=RECEIVED&wait=31`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'wait' })]);
    const unknown = await api.http.get(`/coffee/orders/${uniqueId('x')}?after=SHIPMENT_CREATED&wait=5`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'after' })]);
  });
});
