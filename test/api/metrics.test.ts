import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderKind } from '../../src/orders/kind';
import { type HttpClient, orderFor, serveApi, startTestApi, type TestApi } from './helpers';
import { uniqueId } from '../support/database';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

async function scrape(http: HttpClient): Promise<string> {
  const answer = await http.get('/metrics');
  expect(answer.status).toBe(200);
  expect(answer.contentType).toContain('text/plain');
  return answer.body as string;
}

const value = (metrics: string, series: string) => Number(new RegExp(`^${series.replace(/[{}()[\]|.+*?^$\\]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);

describe('GET /metrics', () => {
  it('counts requests by route and status, orders started, orders by ending, and compensations run', async () => {
    const sku = uniqueId('SKU');
    await api.http.put(`/inventory/${sku}`, { name: 'Kettle', priceCents: 3900, available: 5 });
    const declined = { key: uniqueId('declined'), body: orderFor([{ sku, quantity: 1 }], { paymentToken: 'tok_declined' }) };
    const placed = await Promise.all([
      api.http.post('/orders', declined.body, { 'Idempotency-Key': declined.key }),
      api.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': uniqueId('ok') }),
    ]);
    expect(placed.map((p) => p.status)).toEqual([202, 202]);
    // A repeat is answered, but starts nothing.
    expect((await api.http.post('/orders', declined.body, { 'Idempotency-Key': declined.key })).status).toBe(202);

    let metrics = await scrape(api.http);
    expect(value(metrics, 'http_requests_total{method="POST",route="/orders",status="202"}')).toBe(3);
    expect(value(metrics, 'http_requests_total{method="PUT",route="/inventory/:sku",status="200"}')).toBe(1);
    expect(value(metrics, 'http_request_duration_seconds_count{method="POST",route="/orders"}')).toBe(3);
    expect(value(metrics, 'fulfillment_workflows_started_total{workflow="order"}')).toBe(2);

    // Visibility and the worker catch up within moments.
    const deadline = Date.now() + 15_000;
    do {
      metrics = await scrape(api.http);
      if (value(metrics, 'fulfillment_orders{workflow="order",status="FAILED"}') === 1 && value(metrics, 'fulfillment_orders{workflow="order",status="SHIPMENT_CREATED"}') === 1) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < deadline);
    expect(value(metrics, 'fulfillment_orders{workflow="order",status="FAILED"}')).toBe(1);
    expect(value(metrics, 'fulfillment_orders{workflow="order",status="SHIPMENT_CREATED"}')).toBe(1);
    expect(value(metrics, 'fulfillment_compensations{compensation="releaseStock"}')).toBe(1);
    expect(value(metrics, 'fulfillment_compensations{compensation="voidAuthorization"}')).toBe(0);
    // No publisher runs here: every status change so far waits in the events outbox (3 + 4).
    expect(value(metrics, 'fulfillment_order_events{state="unpublished"}')).toBe(7);
    expect(value(metrics, 'fulfillment_order_events{state="published"}')).toBe(0);
  });
});

describe('the request log', () => {
  it('writes one JSON line per request with the order and workflow it concerns', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const logged = await serveApi({ client: api.temporal.client, db: api.db, services: api.services, taskQueue: uniqueId('tq'), logger: pino(sink) });
    try {
      await logged.http.get('/orders/no-such-order');
      expect(lines).toEqual([expect.objectContaining({ msg: 'request', method: 'GET', path: '/orders/no-such-order', status: 404, orderId: 'no-such-order', workflowId: orderKind.workflowId('no-such-order') })]);
      expect(lines[0]!.durationMs).toEqual(expect.any(Number));
    } finally {
      await logged.close();
    }
  });
});
