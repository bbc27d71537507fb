import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOrder, getOrder, reportShipmentEvent } from '../../src/orders/messages';
import { PaymentGateway, type Services } from '../../src/services';
import { BusinessError, OrderStatusAttribute } from '../../src/shop';
import { recordHistories } from '../support/histories';
import { type RunningWorker, startTestStack, startTestWorker, type TestStack, type TestTemporal, waitForOrder } from '../support/temporal';
import { activityRuns, orderInput, placeOrder, stockCatalog, stockOf, withToken } from './fixtures';

const untouched = { mug: { available: 10, reserved: 0, shipped: 0 }, poster: { available: 10, reserved: 0, shipped: 0 } };

let stack: TestStack;
let temporal: TestTemporal;
let services: Services;
let worker: RunningWorker;

beforeAll(async () => {
  stack = await startTestStack();
  ({ temporal, services, worker } = stack);
});
afterAll(() => stack?.stop());
const keep = recordHistories('order-fulfillment');

async function freshOrder(overrides: Parameters<typeof orderInput>[1] = {}) {
  const catalog = await stockCatalog(services);
  const input = orderInput(catalog, overrides);
  const handle = keep(await placeOrder(temporal.client, worker.taskQueue, input));
  return { catalog, input, handle };
}

async function templatesSentTo(email: string): Promise<string[]> {
  return (await services.notificationOutbox.sentTo(email)).map((n) => n.template);
}

describe('an order that goes well', () => {
  it('reserves, authorizes, ships, captures on dispatch and completes on delivery', async () => {
    const { catalog, input, handle } = await freshOrder();

    const booked = await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    expect(booked.totalCents).toBe(3 * 1250 + 990);
    expect(booked.payment.status).toBe('AUTHORIZED');
    expect(await stockOf(services, catalog)).toEqual({ mug: { available: 7, reserved: 3, shipped: 0 }, poster: { available: 9, reserved: 1, shipped: 0 } });

    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    const dispatched = await waitForOrder(handle, (o) => o.payment.status === 'CAPTURED');
    expect(dispatched.status).toBe('DISPATCHED');
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    const done = await handle.result();

    expect(done.status).toBe('COMPLETED');
    expect(done.shipment?.status).toBe('DELIVERED');
    expect(done.compensations).toEqual([]);
    expect(done.steps.map((s) => s.name)).toEqual([
      'reserveInventory',
      'authorizePayment',
      'notify:order-accepted',
      'createShipment',
      'capturePayment',
      'shipInventory',
      'notify:order-dispatched',
      'notify:order-delivered',
    ]);
    const [payment] = await services.gateway.paymentsForOrder(input.orderId);
    expect(payment).toMatchObject({ status: 'CAPTURED', amountCents: 4740 });
    expect(await stockOf(services, catalog)).toEqual({ mug: { available: 7, reserved: 0, shipped: 3 }, poster: { available: 9, reserved: 0, shipped: 1 } });
    expect(await templatesSentTo(input.email)).toEqual(['order-accepted', 'order-dispatched', 'order-delivered']);
    expect((await handle.describe()).typedSearchAttributes.get(OrderStatusAttribute)).toBe('COMPLETED');
  });

  it('retries a flaky gateway until it answers, charging once', async () => {
    const catalog = await stockCatalog(services);
    const input = withToken(catalog, 'tok_flaky');
    const handle = keep(await placeOrder(temporal.client, worker.taskQueue, input));

    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    const done = await handle.result();

    expect(done.status).toBe('COMPLETED');
    const payments = await services.gateway.paymentsForOrder(input.orderId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'CAPTURED', amountCents: 4740 });
    // Two timeouts then success, for authorize and for capture: the history (what the Web UI
    // shows) records the third attempt of each as the one that went through.
    const runs = await activityRuns(handle);
    expect(runs.find((r) => r.activity === 'authorizePayment')?.attempt).toBe(3);
    expect(runs.find((r) => r.activity === 'capturePayment')?.attempt).toBe(3);
  });
});

describe('an order that cannot be fulfilled leaves stock and money as they were', () => {
  it.each([
    ['tok_declined', 'CardDeclined'],
    ['tok_insufficient_funds', 'InsufficientFunds'],
  ] as const)('a card with %s fails the order as %s and releases the stock', async (token, failureType) => {
    const { catalog, input, handle } = await freshOrder({ paymentToken: token });
    const order = await handle.result();

    expect(order.status).toBe('FAILED');
    expect(order.failure?.type).toBe(failureType);
    expect(order.payment.status).toBe('DECLINED');
    expect(order.compensations.map((c) => c.name)).toEqual(['releaseInventory']);
    expect(await stockOf(services, catalog)).toEqual(untouched);
    expect(await services.gateway.paymentsForOrder(input.orderId)).toEqual([]);
    expect(await templatesSentTo(input.email)).toEqual(['order-failed']);
  });

  it('an item out of stock fails the order before any money is touched', async () => {
    const catalog = await stockCatalog(services, 2);
    const input = orderInput(catalog); // asks for 3 mugs
    const order = await (keep(await placeOrder(temporal.client, worker.taskQueue, input))).result();

    expect(order.status).toBe('FAILED');
    expect(order.failure).toMatchObject({ type: 'OutOfStock' });
    expect(order.failure?.message).toContain(catalog.mug);
    expect(order.compensations).toEqual([]);
    expect(await stockOf(services, catalog)).toEqual({ mug: { available: 2, reserved: 0, shipped: 0 }, poster: { available: 2, reserved: 0, shipped: 0 } });
    expect(await services.gateway.paymentsForOrder(input.orderId)).toEqual([]);
  });

  it('an address the carrier refuses voids the authorization and releases the stock, newest first', async () => {
    const { catalog, input, handle } = await freshOrder({
      shippingAddress: { name: 'Base', line1: 'McMurdo Station', city: 'Ross Island', postalCode: '0', country: 'AQ' },
    });
    const order = await handle.result();

    expect(order.status).toBe('FAILED');
    expect(order.failure?.type).toBe('AddressRejected');
    expect(order.payment.status).toBe('VOIDED');
    expect(order.compensations.map((c) => [c.name, c.status])).toEqual([
      ['voidAuthorization', 'COMPLETED'],
      ['releaseInventory', 'COMPLETED'],
    ]);
    expect(await stockOf(services, catalog)).toEqual(untouched);
    const [payment] = await services.gateway.paymentsForOrder(input.orderId);
    expect(payment.status).toBe('VOIDED');
    expect((await activityRuns(handle)).map((r) => r.activity)).toEqual([
      'reserveInventory',
      'authorizePayment',
      'sendNotification',
      'createShipment',
      'voidAuthorization',
      'releaseInventory',
      'sendNotification',
    ]);
  });
});

describe('cancelling an order', () => {
  it('before dispatch undoes every step and answers the cancelled order', async () => {
    const { catalog, input, handle } = await freshOrder();
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');

    const cancelled = await handle.executeUpdate(cancelOrder, { args: [{ reason: 'changed my mind' }] });

    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.failure).toEqual({ type: 'Cancelled', message: 'changed my mind' });
    expect(cancelled.payment.status).toBe('VOIDED');
    expect(cancelled.shipment?.status).toBe('CANCELLED');
    expect(cancelled.compensations.map((c) => c.name)).toEqual(['cancelShipment', 'voidAuthorization', 'releaseInventory']);
    expect(await stockOf(services, catalog)).toEqual(untouched);
    expect((await services.carrier.shipmentsForOrder(input.orderId)).map((s) => s.status)).toEqual(['CANCELLED']);
    expect(await templatesSentTo(input.email)).toEqual(['order-accepted', 'order-cancelled']);
    expect((await handle.result()).status).toBe('CANCELLED');
  });

  it('after dispatch is refused, and the order goes on to completion', async () => {
    const { handle } = await freshOrder();
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    await waitForOrder(handle, (o) => o.status === 'DISPATCHED');

    const refusal = await handle.executeUpdate(cancelOrder, { args: [{}] }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refusal as WorkflowUpdateFailedError).cause?.message)).toContain('already been dispatched');

    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    expect((await handle.result()).status).toBe('COMPLETED');
  });

  it('from the Temporal UI or CLI unwinds the same way as the customer cancel', async () => {
    const { catalog, handle } = await freshOrder();
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');

    await handle.cancel();
    const order = await handle.result();

    expect(order.status).toBe('CANCELLED');
    expect(order.failure?.message).toBe('cancelled by an operator');
    expect(order.payment.status).toBe('VOIDED');
    expect(await stockOf(services, catalog)).toEqual(untouched);
  });

  it('from the Temporal UI or CLI after dispatch is ignored like the customer\'s, and the carrier\'s next event still completes the order', async () => {
    const { handle } = await freshOrder();
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });

    await handle.cancel();
    const delivered = await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });

    expect(delivered.shipment?.status).toBe('DELIVERED');
    expect(await handle.result()).toMatchObject({ status: 'COMPLETED', payment: { status: 'CAPTURED' } });
  });
});

describe('an order started with an input that is not one', () => {
  it('fails at once with InvalidInput naming the field, and nothing is reserved or charged', async () => {
    const catalog = await stockCatalog(services);
    const untouched = await stockOf(services, catalog);
    const input = orderInput(catalog);
    const handle = await placeOrder(temporal.client, worker.taskQueue, { ...input, items: [{ sku: catalog.mug, quantity: 0 }] });

    const failure = await handle.result().then(() => undefined, (err: unknown) => err);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('items[0].quantity') });
    expect(await stockOf(services, catalog)).toEqual(untouched);
    expect(await services.gateway.paymentsForOrder(input.orderId)).toEqual([]);
  });
});

describe('a compensation that fails for good', () => {
  it('ends the order NEEDS_ATTENTION after running the other compensations', async () => {
    const brokenVoid = new (class extends PaymentGateway {
      override async voidAuthorization(): Promise<never> {
        throw new BusinessError('InvalidState', 'the gateway lost the authorization');
      }
    })(stack.db);
    const brokenWorker = await startTestWorker(temporal, { ...services, gateway: brokenVoid, payments: brokenVoid });
    try {
      const catalog = await stockCatalog(services);
      const input = orderInput(catalog, {
        shippingAddress: { name: 'Base', line1: 'McMurdo Station', city: 'Ross Island', postalCode: '0', country: 'AQ' },
      });
      const handle = keep(await placeOrder(temporal.client, brokenWorker.taskQueue, input));

      const failure = await handle.result().catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const order = await handle.query(getOrder);
      expect(order.status).toBe('NEEDS_ATTENTION');
      expect(order.failure).toMatchObject({ type: 'CompensationFailed' });
      expect(order.failure?.message).toContain('voidAuthorization');
      expect(order.compensations.map((c) => [c.name, c.status])).toEqual([
        ['voidAuthorization', 'FAILED'],
        ['releaseInventory', 'COMPLETED'],
      ]);
      expect(await stockOf(services, catalog)).toEqual(untouched);
      const [payment] = await services.gateway.paymentsForOrder(input.orderId);
      expect(payment.status).toBe('AUTHORIZED');
      expect((await handle.describe()).typedSearchAttributes.get(OrderStatusAttribute)).toBe('NEEDS_ATTENTION');
    } finally {
      await brokenWorker.stop();
    }
  });
});

describe('a cancel that arrives while a failed order is being undone', () => {
  it('is refused, and the order ends FAILED with its real reason', async () => {
    const slowVoid = new (class extends PaymentGateway {
      override async voidAuthorization(req: Parameters<PaymentGateway['voidAuthorization']>[0]) {
        await new Promise((r) => setTimeout(r, 2000));
        return super.voidAuthorization(req);
      }
    })(stack.db);
    const slowWorker = await startTestWorker(temporal, { ...services, gateway: slowVoid, payments: slowVoid });
    try {
      const catalog = await stockCatalog(services);
      const input = orderInput(catalog, {
        shippingAddress: { name: 'Base', line1: 'McMurdo Station', city: 'Ross Island', postalCode: '0', country: 'AQ' },
      });
      const handle = keep(await placeOrder(temporal.client, slowWorker.taskQueue, input));
      await waitForOrder(handle, (o) => o.steps.some((s) => s.name === 'createShipment' && s.status === 'FAILED'));

      const refusal = await handle.executeUpdate(cancelOrder, { args: [{}] }).catch((err: unknown) => err);

      expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String((refusal as WorkflowUpdateFailedError).cause?.message)).toContain('already being undone');
      const order = await handle.result();
      expect(order.status).toBe('FAILED');
      expect(order.failure?.type).toBe('AddressRejected');
      expect(await stockOf(services, catalog)).toEqual(untouched);
    } finally {
      await slowWorker.stop();
    }
  });
});
