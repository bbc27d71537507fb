// With no worker polling: reads answer from what the workflows published, actions answer 503
// within seconds, and nothing sent meanwhile is lost or done twice once a worker is back.
import { describe, expect, it } from 'vitest';
import { coffeeKind } from '../../src/coffee/kind';
import { orderKind } from '../../src/orders/kind';
import { OrderStatusAttribute } from '../../src/shop';
import { stockCafe } from '../coffee/fixtures';
import { uniqueId } from '../support/database';
import { startTestWorker } from '../support/temporal';
import { type Answer, eventually, expectProblem, orderFor, useApiOverWorker } from './helpers';

/** A read answered from the server alone takes milliseconds; a query would wait for a worker. */
const READ_MS = 2000;
/** An action no worker takes is answered 503 after the API's accept deadline (5 s). */
const ACTION_MS = 10_000;

describe('while no worker polls the task queue', () => {
  const shop = useApiOverWorker();

  async function timed(ask: () => Promise<Answer>): Promise<Answer & { ms: number }> {
    const started = Date.now();
    const answer = await ask();
    return { ...answer, ms: Date.now() - started };
  }

  it('reads running orders, places new ones, refuses actions with 503, and loses nothing once a worker is back', async () => {
    const { http, services, temporal } = shop;
    const sku = uniqueId('sku');
    expect((await http.put(`/inventory/${sku}`, { name: 'Mug', priceCents: 1250, available: 10 })).status).toBe(200);
    await stockCafe(services);
    const [order, coffee, later] = [uniqueId('order'), uniqueId('cof'), uniqueId('order')];
    expect((await http.post('/orders', orderFor([{ sku, quantity: 2 }]), { 'Idempotency-Key': order })).status).toBe(202);
    expect((await http.post('/coffee/orders', { customerName: 'Ada', items: [{ drink: 'tea', size: 'small', quantity: 1 }], paymentToken: 'tok_ok' }, { 'Idempotency-Key': coffee })).status).toBe(202);
    const booked = await eventually(() => http.get(`/orders/${order}`), (o) => o.status === 'SHIPMENT_CREATED');
    const queued = await eventually(() => http.get(`/coffee/orders/${coffee}`), (o) => o.status === 'QUEUED');

    await shop.worker.stop();

    // Reads: the whole view as the workflows last published it, in milliseconds.
    const readOrder = await timed(() => http.get(`/orders/${order}`));
    expect(readOrder.status).toBe(200);
    expect(readOrder.body).toEqual(booked);
    expect(readOrder.body.steps.map((s: { name: string }) => s.name)).toEqual(['reserveInventory', 'authorizePayment', 'notify:order-accepted', 'createShipment']);
    expect(readOrder.ms).toBeLessThan(READ_MS);
    const readCoffee = await timed(() => http.get(`/coffee/orders/${coffee}`));
    expect(readCoffee.status).toBe(200);
    expect(readCoffee.body).toEqual(queued);
    expect(readCoffee.ms).toBeLessThan(READ_MS);
    const queue = await timed(() => http.get('/coffee/queue'));
    expect(queue.body.map((entry: { orderId: string }) => entry.orderId)).toContain(coffee);

    // A new order is taken (Temporal keeps it) and reads as placed, priced later by its workflow.
    expect((await http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': later })).status).toBe(202);
    const placed = await timed(() => http.get(`/orders/${later}`));
    expect(placed.body).toMatchObject({ orderId: later, status: 'RECEIVED', totalCents: null, payment: { status: 'PENDING' }, steps: [], failure: null });
    expect(placed.ms).toBeLessThan(READ_MS);

    // Actions need the workflow: 503 within seconds, saying why and when to come back.
    const claimKey = { 'Idempotency-Key': uniqueId('claim') };
    const [claim, dispatch] = await Promise.all([
      timed(() => http.post(`/coffee/orders/${coffee}/claim`, undefined, claimKey)),
      timed(() => http.post(`/orders/${order}/shipment-events`, { event: 'DISPATCHED' })),
    ]);
    for (const answer of [claim, dispatch]) {
      expectProblem(answer, 503);
      expect(answer.body.detail).toMatch(/no worker is polling the task queue|did not take the request within/);
      expect(answer.retryAfter).toMatch(/^\d+$/);
      expect(answer.ms).toBeLessThan(ACTION_MS);
    }

    shop.worker = await startTestWorker(temporal, services, shop.worker.taskQueue);

    // The same claim again meets the first one: the coffee is claimed once.
    const claimed = await eventually(() => http.post(`/coffee/orders/${coffee}/claim`, undefined, claimKey), (o) => o.status === 'PREPARING');
    expect(claimed.barista).toBe('Test admin');
    const history = await temporal.client.workflow.getHandle(coffeeKind.workflowId(coffee)).fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'claimCoffee')).toHaveLength(1);
    await eventually(() => http.get(`/orders/${later}`), (o) => o.status === 'SHIPMENT_CREATED');
    expect((await http.post(`/orders/${order}/shipment-events`, { event: 'DISPATCHED' })).status).toBe(202);
    const dispatched = await eventually(() => http.get(`/orders/${order}`), (o) => o.payment.status === 'CAPTURED');
    expect(dispatched.status).toBe('DISPATCHED');

    // Terminated from the CLI or the Web UI: no compensation will run, so a person must settle it.
    const booked2 = await eventually(() => http.get(`/orders/${later}`), (o) => o.status === 'SHIPMENT_CREATED');
    await temporal.client.workflow.getHandle(orderKind.workflowId(later)).terminate('an operator pressed the wrong button');
    const terminated = (await http.get(`/orders/${later}`)).body;
    expect(terminated).toEqual({ ...booked2, status: 'NEEDS_ATTENTION', failure: { type: 'WorkflowClosed', message: 'its workflow was terminated before the order ended' } });
  }, 90_000);

  it('reads a workflow started without a view (by the CLI, say) by its status alone', async () => {
    const { http, temporal } = shop;
    const orderId = uniqueId('order');
    // No worker polls this queue: the workflow never runs, so it never publishes a view.
    await temporal.client.workflow.start(orderKind.workflowType, {
      workflowId: orderKind.workflowId(orderId),
      taskQueue: uniqueId('nobody'),
      args: [{}],
      typedSearchAttributes: [{ key: OrderStatusAttribute, value: 'RECEIVED' }],
    });

    const answer = await http.get(`/orders/${orderId}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ orderId, status: 'RECEIVED', failure: null });
  });
});
