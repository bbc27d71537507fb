// Order events: each status change is written to the events outbox by the step that made it, once,
// in order, before anyone can see the status; with amounts and without personal data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoffeeView } from '../../src/coffee/coffee';
import { claimCoffee, markCoffeeReady, pickUpCoffee } from '../../src/coffee/messages';
import { cancelOrder, reportShipmentEvent } from '../../src/orders/messages';
import { EventOutbox, type Services } from '../../src/services';
import type { ShopEvent } from '../../src/shop';
import { coffeeInput, placeCoffee, stockCafe } from '../coffee/fixtures';
import { orderInput, placeOrder, stockCatalog } from '../orders/fixtures';
import { recordHistories } from '../support/histories';
import { type RunningWorker, startTestStack, startTestWorker, type TestStack, waitForOrder } from '../support/temporal';

let stack: TestStack;
let services: Services;
let worker: RunningWorker;

beforeAll(async () => {
  stack = await startTestStack();
  ({ services, worker } = stack);
  await stockCafe(services);
});
afterAll(() => stack?.stop());
const keepOrder = recordHistories('order-fulfillment');
const keepCoffee = recordHistories('coffee-order');

async function eventsOf(kind: ShopEvent['kind'], orderId: string): Promise<ShopEvent[]> {
  return (await services.eventOutbox.ofOrder(kind, orderId)).map((e) => e.event);
}

describe('order events', () => {
  it('are one per status change of a delivered order, in sequence, written before the status shows, with amounts and no personal data', async () => {
    const catalog = await stockCatalog(services);
    const input = orderInput(catalog);
    const handle = keepOrder(await placeOrder(stack.temporal.client, worker.taskQueue, input));

    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    expect((await eventsOf('order', input.orderId)).map((e) => e.status)).toEqual(['RECEIVED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_CREATED']);

    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    await handle.result();

    const events = await eventsOf('order', input.orderId);
    expect(events.map((e) => [e.sequence, e.type, e.paymentStatus, e.totalCents])).toEqual([
      [1, 'order.received', 'PENDING', null],
      [2, 'order.inventory-reserved', 'PENDING', 4740],
      [3, 'order.payment-authorized', 'AUTHORIZED', 4740],
      [4, 'order.shipment-created', 'AUTHORIZED', 4740],
      [5, 'order.dispatched', 'AUTHORIZED', 4740],
      [6, 'order.completed', 'CAPTURED', 4740],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ kind: 'order', orderId: input.orderId, customerId: input.customerId, eventId: `order-${input.orderId}/event-${e.sequence}` });
      expect(e.failure).toBeUndefined();
    }
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const written = JSON.stringify(events);
    for (const personal of [input.email, input.shippingAddress.name, input.shippingAddress.line1, input.shippingAddress.postalCode, input.paymentToken]) {
      expect(written).not.toContain(personal);
    }
  });

  it('end a cancelled order with its reason, after the compensations', async () => {
    const catalog = await stockCatalog(services);
    const input = orderInput(catalog);
    const handle = keepOrder(await placeOrder(stack.temporal.client, worker.taskQueue, input));
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    await handle.executeUpdate(cancelOrder, { args: [{ reason: 'changed my mind' }] });

    const events = await eventsOf('order', input.orderId);
    expect(events.map((e) => e.status)).toEqual(['RECEIVED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_CREATED', 'CANCELLED']);
    expect(events.at(-1)).toMatchObject({ type: 'order.cancelled', paymentStatus: 'VOIDED', failure: { type: 'Cancelled', message: 'changed my mind' } });
  });

  it("of a coffee order include the barista's claim, made in an Update handler, in its place; and no customer name", async () => {
    const input = coffeeInput();
    const handle = keepCoffee(await placeCoffee(stack.temporal.client, worker.taskQueue, input));
    await waitForOrder<CoffeeView>(handle, (o) => o.status === 'QUEUED');
    await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ana' }] });
    await handle.executeUpdate(markCoffeeReady);
    await handle.executeUpdate(pickUpCoffee);
    await handle.result();

    const events = await eventsOf('coffee', input.orderId);
    expect(events.map((e) => [e.sequence, e.type, e.paymentStatus, e.totalCents])).toEqual([
      [1, 'coffee.received', 'PENDING', 1150],
      [2, 'coffee.paid', 'CAPTURED', 1150],
      [3, 'coffee.queued', 'CAPTURED', 1150],
      [4, 'coffee.preparing', 'CAPTURED', 1150],
      [5, 'coffee.ready', 'CAPTURED', 1150],
      [6, 'coffee.picked-up', 'CAPTURED', 1150],
    ]);
    expect(JSON.stringify(events)).not.toContain(input.customerName);
  });

  it('are in the outbox once each when writing them is retried after it had already succeeded', async () => {
    // An outbox whose first write of each batch succeeds and then reports a failure, as when the
    // worker dies after the commit: the local activity runs again with the same event ids.
    const outbox = new EventOutbox(stack.db);
    const failedOnce = new Set<string>();
    const flaky = Object.assign(Object.create(outbox) as EventOutbox, {
      async record(events: readonly ShopEvent[]) {
        await outbox.record(events);
        const first = events[0]!.eventId;
        if (!failedOnce.has(first)) {
          failedOnce.add(first);
          throw new Error('connection lost after the commit');
        }
      },
    });
    const flakyWorker = await startTestWorker(stack.temporal, { ...services, eventOutbox: flaky });
    try {
      const input = coffeeInput();
      const handle = keepCoffee(await placeCoffee(stack.temporal.client, flakyWorker.taskQueue, input));
      await waitForOrder<CoffeeView>(handle, (o) => o.status === 'QUEUED');
      await handle.executeUpdate(claimCoffee, { args: [{ barista: 'Ben' }] });
      await handle.executeUpdate(markCoffeeReady);
      await handle.executeUpdate(pickUpCoffee);
      await handle.result();

      expect(failedOnce.size).toBeGreaterThanOrEqual(5);
      const events = await services.eventOutbox.ofOrder('coffee', input.orderId);
      expect(events.map((e) => e.event.status)).toEqual(['RECEIVED', 'PAID', 'QUEUED', 'PREPARING', 'READY', 'PICKED_UP']);
    } finally {
      await flakyWorker.stop();
    }
  });
});
