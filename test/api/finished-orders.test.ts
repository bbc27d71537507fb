// Reading orders that have ended: the API answers from the view each workflow published, with no worker running.
import { describe, expect, it } from 'vitest';
import { PaymentGateway } from '../../src/services';
import { BusinessError } from '../../src/shop';
import { uniqueId } from '../support/database';
import { type Answer, eventually, orderFor, useApiOverWorker } from './helpers';

/** How long a read may take once the worker is gone: a query would wait far longer for one. */
const READ_DEADLINE_MS = 5_000;

const hasEnded = (o: { status: string }) => ['COMPLETED', 'FAILED', 'CANCELLED', 'NEEDS_ATTENTION'].includes(o.status);

describe('reading an order that has ended', () => {
  // A gateway that cannot void: an order the carrier refuses then ends NEEDS_ATTENTION.
  const shop = useApiOverWorker((services, db) => {
    const gateway = new (class extends PaymentGateway {
      override async voidAuthorization(): Promise<never> {
        throw new BusinessError('InvalidState', 'the gateway lost the authorization');
      }
    })(db);
    return { ...services, gateway, payments: gateway };
  });

  /** Gives up after READ_DEADLINE_MS, so a read that waits on a worker fails the test rather than hang. */
  async function read(path: string): Promise<Answer> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`GET ${path} took over ${READ_DEADLINE_MS} ms`)), READ_DEADLINE_MS);
    });
    try {
      return await Promise.race([shop.http.get(path), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('answers completed, failed, needs-attention and cancelled orders with their final view, and refuses a late carrier event, once no worker runs', async () => {
    const { http } = shop;
    const sku = uniqueId('sku');
    expect((await http.put(`/inventory/${sku}`, { name: 'Mug', priceCents: 1250, available: 10 })).status).toBe(200);
    const items = [{ sku, quantity: 1 }];
    const antarctica = { name: 'Base', line1: 'McMurdo Station', city: 'Ross Island', postalCode: '0', country: 'AQ' };
    const bodies = {
      completed: orderFor(items),
      failed: orderFor(items, { paymentToken: 'tok_declined' }),
      needsAttention: orderFor(items, { shippingAddress: antarctica }),
    };
    const ids = Object.fromEntries(Object.keys(bodies).map((name) => [name, uniqueId(name)])) as Record<keyof typeof bodies, string>;
    for (const [name, body] of Object.entries(bodies)) {
      expect((await http.post('/orders', body, { 'Idempotency-Key': ids[name as keyof typeof bodies] })).status).toBe(202);
    }
    await eventually(() => http.get(`/orders/${ids.completed}`), (o) => o.status === 'SHIPMENT_CREATED');
    for (const event of ['DISPATCHED', 'DELIVERED']) {
      expect((await http.post(`/orders/${ids.completed}/shipment-events`, { event })).status).toBe(202);
    }
    const coffeeId = uniqueId('cof');
    for (const name of ['espresso-beans', 'milk', 'cups']) expect((await http.put(`/coffee/ingredients/${name}`, { available: 100 })).status).toBe(200);
    const coffee = { customerName: 'Grace', items: [{ drink: 'espresso', size: 'small', quantity: 1 }], paymentToken: 'tok_ok' };
    expect((await http.post('/coffee/orders', coffee, { 'Idempotency-Key': coffeeId })).status).toBe(202);
    await eventually(() => http.get(`/coffee/orders/${coffeeId}`), (o) => o.status === 'QUEUED');
    const cancelled = await http.post(`/coffee/orders/${coffeeId}/cancel`);
    expect(cancelled.body.status).toBe('CANCELLED');

    const paths = [...Object.values(ids).map((id) => `/orders/${id}`), `/coffee/orders/${coffeeId}`];
    const endings = [];
    for (const path of paths) endings.push((await eventually(() => http.get(path), hasEnded)) as { status: string });
    expect(endings.map((o) => o.status)).toEqual(['COMPLETED', 'FAILED', 'NEEDS_ATTENTION', 'CANCELLED']);

    await shop.worker.stop();

    for (const [i, path] of paths.entries()) {
      const answer = await read(path);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(endings[i]);
    }
    const late = await http.post(`/orders/${ids.completed}/shipment-events`, { event: 'DELIVERED' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('COMPLETED');
  });
});
