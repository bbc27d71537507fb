// The pages' live streams over the real API, worker and database: an order that waits costs
// Temporal no read at all, and each change costs about one, however many pages watch it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '../support/database';
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

/** A page following a stream: the statuses it was sent, in order. */
async function follow(path: string) {
  const statuses: string[] = [];
  const res = await fetch(new URL(path, api.http.baseUrl));
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (const [, data] of buffer.matchAll(/event: view\ndata: (.*)\n\n/g)) statuses.push(JSON.parse(data!).status);
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }
  })();
  return { statuses, ended, stop: () => reader.cancel() };
}

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
