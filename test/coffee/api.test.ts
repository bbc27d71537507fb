// The coffee-shop API over real HTTP, a real worker and a real database: what the customer pays, what the barista sees, what leaves the shelf.
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coffeeKind } from '../../src/coffee/kind';
import { eventually, expectProblem, startTestApi, type TestApi } from '../api/helpers';
import { uniqueId } from '../support/database';
import { staffToken } from '../support/secrets';
import { type Shelf, shelf, shelfAfter, usedByDefaultOrder } from './fixtures';

type CoffeeView = { orderId: string; status: string; totalCents: number; barista: string | null; payment: { status: string }; failure: { type: string; message: string } | null };
type QueueEntry = { orderId: string; status: string; customerName: string; items: unknown[]; barista: string | null; orderedAt: string };

/** Two medium lattes and a small tea: 2 × 450 + 250 = 1150 cents on the menu. */
const twoLattesAndATea = [
  { drink: 'latte', size: 'medium', quantity: 2 },
  { drink: 'tea', size: 'small', quantity: 1 },
];
/** A valid POST /coffee/orders body for a customer of its own; `overrides` replace whole fields. */
const coffeeFor = (overrides: Record<string, unknown> = {}) => ({ customerName: uniqueId('Grace'), items: twoLattesAndATea, paymentToken: 'tok_ok', ...overrides });
const hasEnded = (o: CoffeeView) => ['PICKED_UP', 'CANCELLED', 'FAILED', 'ABANDONED', 'NEEDS_ATTENTION'].includes(o.status);

describe('coffee shop API', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  // One shelf for the whole file: every test starts from a full one and compares with a snapshot.
  beforeEach(() => restock(shelf));

  async function restock(amounts: Partial<typeof shelf>): Promise<void> {
    for (const [name, available] of Object.entries(amounts)) {
      expect((await api.http.put(`/coffee/ingredients/${name}`, { available })).status).toBe(200);
    }
  }
  async function shelfNow(): Promise<Shelf> {
    const entries = await Promise.all(
      Object.keys(shelf).map(async (name) => {
        const { available, reserved, used } = (await api.http.get(`/coffee/ingredients/${name}`)).body;
        return [name, { available, reserved, used }] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  const place = (body: unknown, key = uniqueId('cof')) => api.http.post('/coffee/orders', body, { 'Idempotency-Key': key });
  const getCoffee = (orderId: string) => api.http.get(`/coffee/orders/${orderId}`);
  const coffeeWhen = (orderId: string, until: (o: CoffeeView) => boolean): Promise<CoffeeView> => eventually(() => getCoffee(orderId), until);
  const act = (orderId: string, action: string, body?: unknown) => api.http.post(`/coffee/orders/${orderId}/${action}`, body);
  /** A claim by the barista the staff token names: the order records who claimed it from the token. */
  const claimAs = async (orderId: string, barista: string) =>
    api.http.post(`/coffee/orders/${orderId}/claim`, undefined, { authorization: `Bearer ${await staffToken('barista', barista)}` });
  const expectNoWorkflow = (orderId: string) =>
    expect(api.temporal.client.workflow.getHandle(coffeeKind.workflowId(orderId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

  /** Places an order and waits until it settles in the queue or ends; `before` is the shelf just before. */
  async function placed(overrides: Record<string, unknown> = {}) {
    const [orderId, before] = [uniqueId('cof'), await shelfNow()];
    expect((await place(coffeeFor(overrides), orderId)).status).toBe(202);
    const order = await coffeeWhen(orderId, (o) => o.status === 'QUEUED' || hasEnded(o));
    return { orderId, before, order };
  }
  async function preparing(barista = 'Ana') {
    const order = await placed();
    expect((await claimAs(order.orderId, barista)).status).toBe(200);
    return order;
  }

  /** The queue as far as these orders go, once it satisfies `until`: visibility lags a moment behind. */
  async function queueOf(orderIds: string[], until: (entries: QueueEntry[]) => boolean): Promise<QueueEntry[]> {
    const mine = (queue: QueueEntry[]) => queue.filter((e) => orderIds.includes(e.orderId));
    return mine(await eventually(() => api.http.get('/coffee/queue'), (queue: QueueEntry[]) => until(mine(queue)), 10_000));
  }

  describe('menu and ingredients', () => {
    it('lists espresso, americano, latte, cappuccino and tea, each with an integer price for every size and a recipe', async () => {
      const answer = await api.http.get('/coffee/menu');

      expect(answer.status).toBe(200);
      expect(answer.body.map((m: { drink: string }) => m.drink)).toEqual(['espresso', 'americano', 'latte', 'cappuccino', 'tea']);
      for (const item of answer.body) {
        expect(Object.keys(item.sizes).sort()).toEqual(['large', 'medium', 'small']);
        expect(Object.values(item.sizes).every((c) => Number.isInteger(c) && (c as number) > 0)).toBe(true);
        expect(Object.keys(item.recipe).length).toBeGreaterThan(0);
      }
    });

    it('stocks an ingredient with PUT and answers its amounts with GET', async () => {
      const put = await api.http.put('/coffee/ingredients/milk', { available: 1234 });

      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ name: 'milk', unit: 'ml', available: 1234 });
      const got = await api.http.get('/coffee/ingredients/milk');
      expect(got.status).toBe(200);
      expect(got.body).toEqual(put.body);
    });

    it('answers 404 for an ingredient the café never stocked', async () => {
      expectProblem(await api.http.get(`/coffee/ingredients/${uniqueId('oat-milk')}`), 404);
    });

    it('refuses an ingredient name that cannot be one with a 400 naming name', async () => {
      expectProblem(await api.http.put('/coffee/ingredients/Oat%20Milk', { available: 5 }), 400, 'name');
      expectProblem(await api.http.get('/coffee/ingredients/MILK!'), 400, 'name');
    });

    it.each([
      ['a negative amount', { available: -1 }, 'available'],
      ['a fractional amount', { available: 1.5 }, 'available'],
      ['a field of its own', { available: 5, unit: 'l' }, 'unit'],
      ['no amount', {}, 'available'],
    ])('refuses an ingredient with %s with a 400 naming the field, and keeps the stock', async (_case, body, field) => {
      const before = await shelfNow();

      expectProblem(await api.http.put('/coffee/ingredients/milk', body), 400, field);
      expect(await shelfNow()).toEqual(before);
    });

    it('refuses an ingredient named like a warehouse product with 409, and the product keeps its stock', async () => {
      const sku = uniqueId('beans');
      expect((await api.http.put(`/inventory/${sku}`, { name: 'Beans to take home', priceCents: 1200, available: 7 })).status).toBe(200);

      expectProblem(await api.http.put(`/coffee/ingredients/${sku}`, { available: 5 }), 409);
      expect((await api.http.get(`/inventory/${sku}`)).body).toMatchObject({ available: 7 });
      expectProblem(await api.http.get(`/coffee/ingredients/${sku}`), 404);
    });
  });

  describe('placing an order', () => {
    it('answers 202 with the Idempotency-Key as order id, its workflow id and links to the order and its Temporal UI page', async () => {
      const orderId = uniqueId('cof');

      const answer = await place(coffeeFor(), orderId);

      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ orderId, workflowId: coffeeKind.workflowId(orderId), status: expect.any(String) });
      expect(answer.body.links.self).toBe(`/coffee/orders/${orderId}`);
      expect(answer.body.links.temporalUi).toContain(coffeeKind.workflowId(orderId));
      await coffeeWhen(orderId, (o) => o.status === 'QUEUED');
    });

    it('queues the order priced from the menu, with the payment captured and the ingredients set aside', async () => {
      const { order, before } = await placed();

      expect(order).toMatchObject({ status: 'QUEUED', totalCents: 1150, barista: null, payment: { status: 'CAPTURED' }, failure: null });
      expect(await shelfNow()).toEqual(shelfAfter(before, usedByDefaultOrder, 'reserved'));
    });

    it.each([
      ['a price on an item', { items: [{ drink: 'latte', size: 'medium', quantity: 1, unitPriceCents: 1 }] }, 'items[0].unitPriceCents'],
      ['a total of its own', { totalCents: 1 }, 'totalCents'],
      ['a drink not on the menu', { items: [{ drink: 'mocha', size: 'small', quantity: 1 }] }, 'items[0].drink'],
      ['a size not on the menu', { items: [{ drink: 'tea', size: 'venti', quantity: 1 }] }, 'items[0].size'],
      ['a quantity of zero', { items: [{ drink: 'tea', size: 'small', quantity: 0 }] }, 'items[0].quantity'],
      ['a fractional quantity', { items: [{ drink: 'tea', size: 'small', quantity: 1.5 }] }, 'items[0].quantity'],
      ['an unknown payment token', { paymentToken: 'tok_nope' }, 'paymentToken'],
      ['no customer name', { customerName: undefined }, 'customerName'],
    ])('refuses an order with %s with a 400 naming the field, and starts nothing', async (_case, overrides, field) => {
      const orderId = uniqueId('cof');

      expectProblem(await place(coffeeFor(overrides), orderId), 400, field);
      await expectNoWorkflow(orderId);
    });

    it('answers the same key sent twice with the same order, setting the ingredients aside once', async () => {
      const [orderId, body, before] = [uniqueId('cof'), coffeeFor(), await shelfNow()];

      const [first, second] = [await place(body, orderId), await place(body, orderId)];

      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body).toMatchObject({ orderId, workflowId: first.body.workflowId });
      await coffeeWhen(orderId, (o) => o.status === 'QUEUED');
      expect(await shelfNow()).toEqual(shelfAfter(before, usedByDefaultOrder, 'reserved'));
    });

    it('refuses the same key with a different body with a 422 naming Idempotency-Key, and the first order stands', async () => {
      const orderId = uniqueId('cof');
      expect((await place(coffeeFor(), orderId)).status).toBe(202);

      expectProblem(await place(coffeeFor({ items: [{ drink: 'espresso', size: 'large', quantity: 3 }] }), orderId), 422, 'Idempotency-Key');
      expect((await coffeeWhen(orderId, (o) => o.status === 'QUEUED')).totalCents).toBe(1150);
    });
  });

  describe('making the drinks', () => {
    it('goes claimed, ready and picked up, with the ingredients used and the payment kept', async () => {
      const { orderId, before } = await placed();

      const claimed = await claimAs(orderId, 'Ana');
      expect(claimed.status).toBe(200);
      expect(claimed.body).toMatchObject({ status: 'PREPARING', barista: 'Ana' });
      const ready = await act(orderId, 'ready');
      expect([ready.status, ready.body.status]).toEqual([200, 'READY']);
      const pickedUp = await act(orderId, 'pickup');
      expect([pickedUp.status, pickedUp.body.status]).toEqual([200, 'PICKED_UP']);

      expect(pickedUp.body).toMatchObject({ totalCents: 1150, payment: { status: 'CAPTURED' }, failure: null });
      expect(await shelfNow()).toEqual(shelfAfter(before, usedByDefaultOrder, 'used'));
      expectProblem(await act(orderId, 'pickup'), 409);
    });

    it('lets exactly one of two baristas claiming at once take the order; the other gets 409', async () => {
      const { orderId } = await placed();

      const answers = await Promise.all([claimAs(orderId, 'Ana'), claimAs(orderId, 'Ben')]);

      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const winner = answers.find((a) => a.status === 200)!.body.barista;
      expectProblem(answers.find((a) => a.status === 409)!, 409);
      expect((await getCoffee(orderId)).body).toMatchObject({ status: 'PREPARING', barista: winner });
    });

    it('refuses to claim an order a barista is already making with 409, and the first barista keeps it', async () => {
      const { orderId } = await preparing('Ana');

      expectProblem(await claimAs(orderId, 'Ben'), 409);
      expect((await getCoffee(orderId)).body).toMatchObject({ status: 'PREPARING', barista: 'Ana' });
    });

    it('cancels a queued order: 200, CANCELLED, refunded and the ingredients back on the shelf', async () => {
      const { orderId, before } = await placed();

      const answer = await act(orderId, 'cancel');

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ orderId, status: 'CANCELLED', payment: { status: 'REFUNDED' } });
      expect(await shelfNow()).toEqual(before);
    });

    it('cancels an order placed a moment ago, before it reaches the queue: 200, CANCELLED and nothing kept', async () => {
      const [orderId, before] = [uniqueId('cof'), await shelfNow()];
      expect((await place(coffeeFor(), orderId)).status).toBe(202);

      const answer = await act(orderId, 'cancel');

      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.status).toBe('CANCELLED');
      expect(['PENDING', 'REFUNDED']).toContain(answer.body.payment.status);
      expect(await shelfNow()).toEqual(before);
    });

    it('refuses to cancel once a barista is making the order with 409, and it stays PREPARING and paid', async () => {
      const { orderId } = await preparing();

      expectProblem(await act(orderId, 'cancel'), 409);
      expect((await getCoffee(orderId)).body).toMatchObject({ status: 'PREPARING', payment: { status: 'CAPTURED' } });
    });

    it('ends an order the barista cannot make FAILED with the reason, refunded and the ingredients back', async () => {
      const { orderId, before } = await preparing();

      const answer = await act(orderId, 'fail', { reason: 'the steam wand broke' });

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'FAILED', payment: { status: 'REFUNDED' }, failure: { type: 'BaristaFailed', message: 'the steam wand broke' } });
      expect(await shelfNow()).toEqual(before);
    });

    it('refuses a claim that names its own barista (the staff token names them) and a failure without a reason with a 400 naming the field, changing nothing', async () => {
      const { orderId } = await placed();

      expectProblem(await act(orderId, 'claim', { barista: 'Mallory' }), 400, 'barista');
      expect((await getCoffee(orderId)).body).toMatchObject({ status: 'QUEUED', barista: null });
      expect((await claimAs(orderId, 'Ana')).status).toBe(200);
      expectProblem(await act(orderId, 'fail', { reason: '  ' }), 400, 'reason');
      expectProblem(await act(orderId, 'fail', {}), 400, 'reason');
      expect((await getCoffee(orderId)).body).toMatchObject({ status: 'PREPARING', barista: 'Ana' });
    });

    it('answers 404 for reading or acting on an order that does not exist', async () => {
      const orderId = uniqueId('cof');

      expectProblem(await getCoffee(orderId), 404);
      expectProblem(await claimAs(orderId, 'Ana'), 404);
      for (const action of ['ready', 'pickup', 'cancel']) expectProblem(await act(orderId, action), 404);
      expectProblem(await act(orderId, 'fail', { reason: 'no milk' }), 404);
    });

    it('answers every action on an order that has ended with 409, and it stays as it ended', async () => {
      const { orderId } = await placed();
      expect((await act(orderId, 'cancel')).status).toBe(200);

      expectProblem(await act(orderId, 'cancel'), 409);
      expectProblem(await claimAs(orderId, 'Ana'), 409);
      for (const action of ['ready', 'pickup']) expectProblem(await act(orderId, action), 409);
      expectProblem(await act(orderId, 'fail', { reason: 'too late' }), 409);
      expect((await getCoffee(orderId)).body).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' } });
    });
    it('ends a drink nobody picks up within pickupTimeoutSeconds ABANDONED, paid and used; a late pickup gets 409', async () => {
      const { orderId, before } = await placed({ pickupTimeoutSeconds: 1 });
      await claimAs(orderId, 'Ana');
      expect((await act(orderId, 'ready')).status).toBe(200);

      expect(await coffeeWhen(orderId, hasEnded)).toMatchObject({ status: 'ABANDONED', payment: { status: 'CAPTURED' } });
      expect(await shelfNow()).toEqual(shelfAfter(before, usedByDefaultOrder, 'used'));
      expectProblem(await act(orderId, 'pickup'), 409);
    });
  });

  describe('orders that cannot be made', () => {
    it('ends an order short of milk FAILED OutOfStock, with nothing charged and the shelf unchanged', async () => {
      await restock({ milk: 100 });

      const { order, before } = await placed();

      expect(order).toMatchObject({ status: 'FAILED', payment: { status: 'PENDING' }, failure: { type: 'OutOfStock' } });
      expect(await shelfNow()).toEqual(before);
    });

    it('ends an order with a declined card FAILED, payment DECLINED and the shelf unchanged', async () => {
      const { order, before } = await placed({ paymentToken: 'tok_declined' });

      expect(order).toMatchObject({ status: 'FAILED', payment: { status: 'DECLINED' }, failure: { type: 'CardDeclined' } });
      expect(await shelfNow()).toEqual(before);
    });
  });

  describe('the barista queue', () => {
    it('lists queued orders oldest first with who ordered what, and the barista once claimed', async () => {
      const orders = [await placed(), await placed(), await placed()];
      const ids = orders.map((o) => o.orderId);

      const queue = await queueOf(ids, (entries) => entries.length === 3);

      expect(queue.map((e) => e.orderId)).toEqual(ids);
      expect(queue.map((e) => e.orderedAt)).toEqual([...queue.map((e) => e.orderedAt)].sort());
      for (const entry of queue) {
        expect(entry).toMatchObject({ status: 'QUEUED', barista: null, items: twoLattesAndATea, customerName: expect.any(String) });
        expect(Number.isNaN(Date.parse(entry.orderedAt))).toBe(false);
      }

      expect((await claimAs(ids[1]!, 'Ana')).status).toBe(200);
      const claimed = await queueOf(ids, (entries) => entries[1]?.status === 'PREPARING');
      expect(claimed.map((e) => [e.orderId, e.status, e.barista])).toEqual([
        [ids[0], 'QUEUED', null],
        [ids[1], 'PREPARING', 'Ana'],
        [ids[2], 'QUEUED', null],
      ]);
    });

    it('takes an order off the queue once it is ready or cancelled', async () => {
      const [made, cancelled, waiting] = [await preparing(), await placed(), await placed()].map((o) => o.orderId);
      await queueOf([made!, cancelled!, waiting!], (entries) => entries.length === 3);

      expect((await act(made!, 'ready')).status).toBe(200);
      expect((await act(cancelled!, 'cancel')).status).toBe(200);

      const queue = await queueOf([made!, cancelled!, waiting!], (entries) => entries.length === 1);
      expect(queue.map((e) => [e.orderId, e.status])).toEqual([[waiting, 'QUEUED']]);
    });
  });
});
