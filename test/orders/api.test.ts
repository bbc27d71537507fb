// The orders API over real HTTP, a real worker and a real database: what happens to the order, the money and the stock.
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderKind } from '../../src/orders/kind';
import { address, eventually, expectProblem, type Line, orderFor, startTestApi, type TestApi, workflowRuns } from '../api/helpers';
import { uniqueId } from '../support/database';

const MUG_PRICE = 1250;
const LAMP_PRICE = 4500;
type OrderView = { status: string; payment: { status: string }; failure: { type: string } | null };

describe('orders API', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  /** A catalog item of the test's own, so no two tests share stock. */
  async function stockedItem(available = 10, priceCents = MUG_PRICE): Promise<string> {
    const sku = uniqueId('sku');
    expect((await api.http.put(`/inventory/${sku}`, { name: `Item ${sku}`, priceCents, available })).status).toBe(200);
    return sku;
  }
  const stockOf = async (sku: string) => (await api.http.get(`/inventory/${sku}`)).body;
  const units = async (sku: string) => {
    const { available, reserved } = await stockOf(sku);
    return { available, reserved };
  };

  const place = (body: unknown, key = uniqueId('order')) => api.http.post('/orders', body, { 'Idempotency-Key': key });
  const getOrder = (orderId: string) => api.http.get(`/orders/${orderId}`);
  const orderWhen = (orderId: string, until: (order: OrderView) => boolean): Promise<OrderView & Record<string, any>> =>
    eventually(() => getOrder(orderId), until);
  const hasEnded = (o: OrderView) => ['COMPLETED', 'FAILED', 'CANCELLED', 'NEEDS_ATTENTION'].includes(o.status);
  const cancel = (orderId: string) => api.http.post(`/orders/${orderId}/cancel`);
  const carrierReports = (orderId: string, event: unknown) => api.http.post(`/orders/${orderId}/shipment-events`, { event });

  const workflow = (orderId: string) => api.temporal.client.workflow.getHandle(orderKind.workflowId(orderId));
  const expectNoWorkflow = (orderId: string) => expect(workflow(orderId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const runsOf = (orderId: string) => workflowRuns(api.temporal.client, orderKind.workflowId(orderId));

  /** Places an order and waits until its shipment is booked, where the carrier takes over. */
  async function bookedOrder(items: Line[]): Promise<string> {
    const orderId = uniqueId('order');
    expect((await place(orderFor(items), orderId)).status).toBe(202);
    await orderWhen(orderId, (o) => o.status === 'SHIPMENT_CREATED');
    return orderId;
  }

  describe('placing an order', () => {
    it('answers 202 with the Idempotency-Key as order id, its workflow id and links to the order and its Temporal UI page', async () => {
      const orderId = uniqueId('order');

      const answer = await place(orderFor([{ sku: await stockedItem(), quantity: 1 }]), orderId);

      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ orderId, workflowId: orderKind.workflowId(orderId), status: 'RECEIVED' });
      expect(answer.body.links.self).toBe(`/orders/${orderId}`);
      expect(answer.body.links.temporalUi).toContain(orderKind.workflowId(orderId));
    });

    it('books the shipment with the total priced from the catalog, the payment authorized and the stock held', async () => {
      const [mug, lamp] = [await stockedItem(10, MUG_PRICE), await stockedItem(5, LAMP_PRICE)];

      const orderId = await bookedOrder([{ sku: mug, quantity: 2 }, { sku: lamp, quantity: 1 }]);

      const order = (await getOrder(orderId)).body;
      expect(order).toMatchObject({ orderId, status: 'SHIPMENT_CREATED', totalCents: 2 * MUG_PRICE + LAMP_PRICE, payment: { status: 'AUTHORIZED' }, failure: null });
      expect(order.shipment.trackingNumber).toEqual(expect.any(String));
      expect(await units(mug)).toEqual({ available: 8, reserved: 2 });
      expect(await units(lamp)).toEqual({ available: 4, reserved: 1 });
    });

    it('gives each request without an Idempotency-Key an order of its own', async () => {
      const body = orderFor([{ sku: await stockedItem(), quantity: 1 }]);

      const [first, second] = [await api.http.post('/orders', body), await api.http.post('/orders', body)];

      expect([first.status, second.status]).toEqual([202, 202]);
      expect(first.body.orderId).not.toBe(second.body.orderId);
    });

    it('takes prices only from the catalog: an item with its own priceCents is refused with a 400 naming it, and nothing starts', async () => {
      const orderId = uniqueId('order');

      const answer = await place(orderFor([{ sku: await stockedItem(), quantity: 1, priceCents: 1 } as Line]), orderId);

      expectProblem(answer, 400, 'items[0].priceCents');
      await expectNoWorkflow(orderId);
    });
  });

  describe('the carrier', () => {
    it('DISPATCHED captures the payment and DELIVERED completes the order, with the units gone from stock', async () => {
      const sku = await stockedItem(10);
      const orderId = await bookedOrder([{ sku, quantity: 2 }]);

      expect((await carrierReports(orderId, 'DISPATCHED')).status).toBe(202);
      expect(await orderWhen(orderId, (o) => o.payment.status === 'CAPTURED')).toMatchObject({ status: 'DISPATCHED' });
      expect((await carrierReports(orderId, 'DELIVERED')).status).toBe(202);
      const order = await orderWhen(orderId, hasEnded);

      expect(order).toMatchObject({ status: 'COMPLETED', payment: { status: 'CAPTURED' }, shipment: { status: 'DELIVERED' }, failure: null });
      const item = await stockOf(sku);
      expect(item).toMatchObject({ available: 8, reserved: 0 });
      if ('shipped' in item) expect(item.shipped).toBe(2);
    });

    it('refuses an event other than DISPATCHED or DELIVERED with a 400 naming event', async () => {
      expectProblem(await carrierReports(uniqueId('order'), 'LOST'), 400, 'event');
    });

    it('answers an event for an order that ended FAILED with 409', async () => {
      const orderId = uniqueId('order');
      await place(orderFor([{ sku: await stockedItem(), quantity: 1 }], { paymentToken: 'tok_declined' }), orderId);
      expect(await orderWhen(orderId, hasEnded)).toMatchObject({ status: 'FAILED' });

      expectProblem(await carrierReports(orderId, 'DISPATCHED'), 409);
    });

    it('answers an event for an order that does not exist with 404', async () => {
      expectProblem(await carrierReports(uniqueId('order'), 'DISPATCHED'), 404);
    });
  });

  describe('idempotency', () => {
    it('answers the same key sent twice with the same order, one workflow run and the stock reserved once', async () => {
      const sku = await stockedItem(10);
      const [orderId, body] = [uniqueId('order'), orderFor([{ sku, quantity: 3 }])];

      const [first, second] = [await place(body, orderId), await place(body, orderId)];

      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body.orderId).toBe(first.body.orderId);
      await orderWhen(orderId, (o) => o.status === 'SHIPMENT_CREATED');
      expect(await runsOf(orderId)).toEqual([(await workflow(orderId).describe()).runId]);
      expect(await units(sku)).toEqual({ available: 7, reserved: 3 });
    });

    it('answers ten concurrent requests with the same key and body with 202 and one order, reserving the stock once', async () => {
      const sku = await stockedItem(10);
      const [orderId, body] = [uniqueId('order'), orderFor([{ sku, quantity: 2 }])];

      const answers = await Promise.all(Array.from({ length: 10 }, () => place(body, orderId)));

      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
      expect(new Set(answers.map((a) => a.body.orderId))).toEqual(new Set([orderId]));
      await orderWhen(orderId, (o) => o.status === 'SHIPMENT_CREATED');
      expect(await runsOf(orderId)).toHaveLength(1);
      expect(await units(sku)).toEqual({ available: 8, reserved: 2 });
    });

    it('refuses the same key with a different body with a 422 naming Idempotency-Key, and the first order stands', async () => {
      const sku = await stockedItem(10);
      const orderId = uniqueId('order');
      await place(orderFor([{ sku, quantity: 1 }]), orderId);

      expectProblem(await place(orderFor([{ sku, quantity: 4 }]), orderId), 422, 'Idempotency-Key');
      expect((await orderWhen(orderId, (o) => o.status === 'SHIPMENT_CREATED')).items).toMatchObject([{ sku, quantity: 1 }]);
      expect(await units(sku)).toEqual({ available: 9, reserved: 1 });
    });

    it('refuses an Idempotency-Key that cannot be an order id with a 400 naming it, and holds no stock', async () => {
      const sku = await stockedItem(10);

      expectProblem(await place(orderFor([{ sku, quantity: 1 }]), 'bad key!'), 400, 'Idempotency-Key');
      expect(await units(sku)).toEqual({ available: 10, reserved: 0 });
    });
  });

  describe('invalid orders', () => {
    it('lists every invalid field by name in a 400, and starts no workflow for the key sent with it', async () => {
      const orderId = uniqueId('order');
      const body = orderFor([{ sku: await stockedItem(), quantity: 0 }], {
        email: 'not-an-email',
        shippingAddress: { ...address, country: 'Germany' },
        paymentToken: 'tok_nope',
      });

      const answer = await place(body, orderId);

      expectProblem(answer, 400, 'items[0].quantity', 'shippingAddress.country', 'paymentToken', 'email');
      await expectNoWorkflow(orderId);
    });

    it.each([
      ['a missing customer id', { customerId: undefined }, 'customerId'],
      ['no items', { items: [] }, 'items'],
      ['a fractional quantity', { items: [{ sku: 'MUG', quantity: 1.5 }] }, 'items[0].quantity'],
      ['the same sku twice', { items: [{ sku: 'MUG', quantity: 1 }, { sku: 'MUG', quantity: 2 }] }, 'items'],
      ['an address without a postal code', { shippingAddress: { ...address, postalCode: undefined } }, 'shippingAddress.postalCode'],
      ['a sku with a space in it', { items: [{ sku: 'no spaces', quantity: 1 }] }, 'items[0].sku'],
    ])('refuses %s with a 400 naming the field, and starts nothing', async (_case, overrides, field) => {
      const orderId = uniqueId('order');

      expectProblem(await place(orderFor([{ sku: 'MUG', quantity: 1 }], overrides), orderId), 400, field);
      await expectNoWorkflow(orderId);
    });

    it('refuses a sku the catalog does not hold with a 422 naming items[0].sku, and starts nothing', async () => {
      const orderId = uniqueId('order');

      expectProblem(await place(orderFor([{ sku: uniqueId('missing'), quantity: 1 }]), orderId), 422, 'items[0].sku');
      await expectNoWorkflow(orderId);
    });

    it('refuses a body that is not valid JSON, or no body at all, with a 400', async () => {
      const [malformed, missing] = [uniqueId('order'), uniqueId('order')];

      expectProblem(await api.http.send('POST', '/orders', { raw: '{"customerId": ', headers: { 'Idempotency-Key': malformed } }), 400);
      expectProblem(await api.http.send('POST', '/orders', { headers: { 'Idempotency-Key': missing } }), 400);
      await expectNoWorkflow(malformed);
      await expectNoWorkflow(missing);
    });
  });

  describe('orders that fail', () => {
    it('ends an order with a declined card FAILED, payment DECLINED and the stock as it was', async () => {
      const sku = await stockedItem(10);
      const orderId = uniqueId('order');

      await place(orderFor([{ sku, quantity: 2 }], { paymentToken: 'tok_declined' }), orderId);
      const order = await orderWhen(orderId, hasEnded);

      expect(order).toMatchObject({ status: 'FAILED', payment: { status: 'DECLINED' }, failure: { type: 'CardDeclined' } });
      expect(await units(sku)).toEqual({ available: 10, reserved: 0 });
    });

    it('ends an order to an address the carrier refuses FAILED, with the payment voided and the stock as it was', async () => {
      const sku = await stockedItem(10);
      const orderId = uniqueId('order');

      await place(orderFor([{ sku, quantity: 2 }], { shippingAddress: { ...address, country: 'AQ' } }), orderId);
      const order = await orderWhen(orderId, hasEnded);

      expect(order).toMatchObject({ status: 'FAILED', payment: { status: 'VOIDED' }, failure: { type: 'AddressRejected' } });
      expect(await units(sku)).toEqual({ available: 10, reserved: 0 });
    });
  });

  describe('reading and cancelling', () => {
    it('cancels an order before dispatch: 200, CANCELLED, payment VOIDED and the stock as it was', async () => {
      const sku = await stockedItem(10);
      const orderId = await bookedOrder([{ sku, quantity: 4 }]);

      const answer = await cancel(orderId);

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ orderId, status: 'CANCELLED', payment: { status: 'VOIDED' } });
      expect(await units(sku)).toEqual({ available: 10, reserved: 0 });
    });

    it('cancels an order placed a moment ago, before its shipment is booked, charging nothing and returning the stock', async () => {
      const sku = await stockedItem(10);
      const orderId = uniqueId('order');
      await place(orderFor([{ sku, quantity: 4 }]), orderId);

      const answer = await cancel(orderId);

      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('CANCELLED');
      expect(['PENDING', 'VOIDED']).toContain(answer.body.payment.status);
      expect(await units(sku)).toEqual({ available: 10, reserved: 0 });
    });

    it('refuses to cancel once the shipment is dispatched with 409, and the payment is still captured', async () => {
      const orderId = await bookedOrder([{ sku: await stockedItem(), quantity: 1 }]);
      await carrierReports(orderId, 'DISPATCHED');
      await orderWhen(orderId, (o) => o.status === 'DISPATCHED');

      expectProblem(await cancel(orderId), 409);
      expect(await orderWhen(orderId, (o) => o.payment.status === 'CAPTURED')).toMatchObject({ status: 'DISPATCHED' });
    });

    it('refuses to cancel an order that has completed with 409', async () => {
      const orderId = await bookedOrder([{ sku: await stockedItem(), quantity: 1 }]);
      await carrierReports(orderId, 'DELIVERED');
      await orderWhen(orderId, (o) => o.status === 'COMPLETED');

      expectProblem(await cancel(orderId), 409);
    });

    it('answers 404 for cancelling or reading an order that does not exist', async () => {
      expectProblem(await cancel(uniqueId('order')), 404);
      expectProblem(await getOrder(uniqueId('order')), 404);
    });

    it('refuses an order id that cannot be one with a 400 naming orderId', async () => {
      expectProblem(await getOrder('bad!id'), 400, 'orderId');
    });
  });

  it('never oversells scarce stock: of 8 concurrent orders for 3 units, 3 are booked and 5 fail OutOfStock', async () => {
    const sku = await stockedItem(3);
    const orderIds = Array.from({ length: 8 }, () => uniqueId('order'));

    const answers = await Promise.all(orderIds.map((id) => place(orderFor([{ sku, quantity: 1 }]), id)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const orders = await Promise.all(orderIds.map((id) => orderWhen(id, (o) => o.status === 'SHIPMENT_CREATED' || hasEnded(o))));

    expect(orders.filter((o) => o.status === 'SHIPMENT_CREATED')).toHaveLength(3);
    expect(orders.filter((o) => o.status !== 'SHIPMENT_CREATED').map((o) => [o.status, o.failure?.type])).toEqual(Array(5).fill(['FAILED', 'OutOfStock']));
    expect(await units(sku)).toEqual({ available: 0, reserved: 3 });
  });
});
