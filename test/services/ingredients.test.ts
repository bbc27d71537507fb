// The café's side of the stock ledger and the gateway: ingredients set aside, returned and used, and counter payments.
import { beforeEach, describe, expect, it } from 'vitest';
import { InventoryService, PaymentGateway } from '../../src/services';
import type { AuthorizeRequest } from '../../src/services/payment-provider';
import { BusinessError, type BusinessFailureType, type OrderItem, TransientError } from '../../src/shop';
import { useFreshDatabase } from '../support/database';

/** The call must fail with a BusinessError of this type; the error is returned for more checks. */
async function expectRefusal(call: Promise<unknown>, type: BusinessFailureType): Promise<BusinessError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BusinessError);
  expect((error as BusinessError).type).toBe(type);
  return error as BusinessError;
}

const fresh = useFreshDatabase();

describe('InventoryService with ingredients', () => {
  let inventory: InventoryService;

  beforeEach(async () => {
    inventory = new InventoryService(fresh.db);
    await inventory.upsertIngredient({ name: 'milk', available: 500, unit: 'ml' });
    await inventory.upsertIngredient({ name: 'cups', available: 10, unit: 'cups' });
  });

  const take = (idempotencyKey: string, items: OrderItem[], orderId = 'cof-1') =>
    inventory.reserve({ idempotencyKey, orderId, items, kind: 'ingredient' });
  const amounts = async (name: string) => {
    const i = await inventory.getIngredient(name);
    return i && { available: i.available, reserved: i.reserved, used: i.used };
  };

  describe('the shelf', () => {
    it('creates an ingredient with its unit and nothing set aside or used', async () => {
      expect(await inventory.getIngredient('milk')).toEqual({ name: 'milk', unit: 'ml', available: 500, reserved: 0, used: 0 });
    });

    it('updates the amount on the shelf but keeps the unit and what is set aside or used', async () => {
      const used = await take('take-1', [{ sku: 'milk', quantity: 250 }]);
      await inventory.ship({ idempotencyKey: 'use-1', reservationId: used.reservationId });
      await take('take-2', [{ sku: 'milk', quantity: 100 }], 'cof-2');

      const updated = await inventory.upsertIngredient({ name: 'milk', available: 2000, unit: 'ml' });

      expect(updated).toEqual({ name: 'milk', unit: 'ml', available: 2000, reserved: 100, used: 250 });
      expect(await inventory.getIngredient('milk')).toEqual(updated);
    });

    it('knows nothing of an ingredient it never stocked', async () => {
      expect(await inventory.getIngredient('oat-milk')).toBeUndefined();
    });

    it('refuses an ingredient named like a product, and a product named like an ingredient, with InvalidState', async () => {
      await inventory.upsertItem({ sku: 'MUG', name: 'Mug', priceCents: 1250, available: 5 });

      await expectRefusal(inventory.upsertIngredient({ name: 'MUG', available: 3, unit: null }), 'InvalidState');
      await expectRefusal(inventory.upsertItem({ sku: 'milk', name: 'Milk', priceCents: 100, available: 3 }), 'InvalidState');

      expect(await inventory.getItem('MUG')).toMatchObject({ name: 'Mug', priceCents: 1250, available: 5 });
      expect(await inventory.getIngredient('MUG')).toBeUndefined();
      expect(await amounts('milk')).toEqual({ available: 500, reserved: 0, used: 0 });
    });

    it('does not sell an ingredient as a product: getItem does not find it and unknownSkus names it', async () => {
      await inventory.upsertItem({ sku: 'MUG', name: 'Mug', priceCents: 1250, available: 5 });

      expect(await inventory.getItem('milk')).toBeUndefined();
      expect(await inventory.unknownSkus(['milk', 'MUG', 'cups'])).toEqual(['milk', 'cups']);
      await expectRefusal(inventory.reserve({ idempotencyKey: 'order-1', orderId: 'order-1', items: [{ sku: 'milk', quantity: 1 }] }), 'UnknownSku');
    });
  });

  describe('setting aside for a drink', () => {
    it('moves every amount from available to reserved', async () => {
      const reservation = await take('take-1', [{ sku: 'cups', quantity: 2 }, { sku: 'milk', quantity: 250 }]);

      expect(reservation).toMatchObject({ orderId: 'cof-1', status: 'HELD', lines: [{ sku: 'cups', quantity: 2 }, { sku: 'milk', quantity: 250 }] });
      expect(await amounts('milk')).toEqual({ available: 250, reserved: 250, used: 0 });
      expect(await amounts('cups')).toEqual({ available: 8, reserved: 2, used: 0 });
    });

    it('is all or nothing when one ingredient is short: OutOfStock names it and nothing moves', async () => {
      const error = await expectRefusal(take('take-1', [{ sku: 'cups', quantity: 1 }, { sku: 'milk', quantity: 600 }]), 'OutOfStock');

      expect(error.message).toContain('milk');
      expect(await amounts('milk')).toEqual({ available: 500, reserved: 0, used: 0 });
      expect(await amounts('cups')).toEqual({ available: 10, reserved: 0, used: 0 });
    });

    it('treats an ingredient never stocked as short (OutOfStock, not UnknownSku) and moves nothing', async () => {
      const error = await expectRefusal(take('take-1', [{ sku: 'cups', quantity: 1 }, { sku: 'oat-milk', quantity: 200 }]), 'OutOfStock');

      expect(error.message).toContain('oat-milk');
      expect(await amounts('cups')).toEqual({ available: 10, reserved: 0, used: 0 });
    });

    it('gives the amounts back to available on release', async () => {
      const { reservationId } = await take('take-1', [{ sku: 'cups', quantity: 1 }, { sku: 'milk', quantity: 250 }]);

      const released = await inventory.release({ idempotencyKey: 'return-1', reservationId });

      expect(released.status).toBe('RELEASED');
      expect(await amounts('milk')).toEqual({ available: 500, reserved: 0, used: 0 });
      expect(await amounts('cups')).toEqual({ available: 10, reserved: 0, used: 0 });
    });

    it('counts the amounts as used once the drink is made', async () => {
      const { reservationId } = await take('take-1', [{ sku: 'cups', quantity: 1 }, { sku: 'milk', quantity: 250 }]);

      const made = await inventory.ship({ idempotencyKey: 'use-1', reservationId });

      expect(made.status).toBe('SHIPPED');
      expect(await amounts('milk')).toEqual({ available: 250, reserved: 0, used: 250 });
      expect(await amounts('cups')).toEqual({ available: 9, reserved: 0, used: 1 });
    });

    it('never oversells: of 10 concurrent requests for 100 ml with 500 ml on the shelf, exactly 5 are held', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => take(`take-${i}`, [{ sku: 'milk', quantity: 100 }], `cof-${i}`)),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const refusals = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as BusinessError).type] : []));
      expect(refusals).toEqual(Array(5).fill('OutOfStock'));
      expect(await amounts('milk')).toEqual({ available: 0, reserved: 500, used: 0 });
    });
  });
});

describe('PaymentGateway charging at the counter', () => {
  let gateway: PaymentGateway;

  beforeEach(() => {
    gateway = new PaymentGateway(fresh.db);
  });

  const charge = (overrides: Partial<AuthorizeRequest> = {}) =>
    gateway.charge({ idempotencyKey: 'charge-1', orderId: 'cof-1', token: 'tok_ok', amountCents: 1150, ...overrides });
  const paymentRows = () => fresh.db.selectFrom('payments').selectAll().execute();

  it('captures the amount on a good card at once', async () => {
    const payment = await charge();

    expect(payment).toMatchObject({ orderId: 'cof-1', amountCents: 1150, status: 'CAPTURED' });
    expect(await gateway.getPayment(payment.paymentId)).toEqual(payment);
  });

  it('refuses a declined card with CardDeclined and records no payment', async () => {
    await expectRefusal(charge({ token: 'tok_declined' }), 'CardDeclined');

    expect(await paymentRows()).toEqual([]);
  });

  it('charges a repeated key once and answers the same payment', async () => {
    const first = await charge();
    const repeat = await charge();

    expect(repeat).toEqual(first);
    expect((await paymentRows()).map((r) => [r.id, r.amount_cents, r.status])).toEqual([[first.paymentId, 1150, 'CAPTURED']]);
  });

  it('refunds a charged payment in full', async () => {
    const { paymentId } = await charge();

    const refunded = await gateway.refund({ idempotencyKey: 'refund-1', paymentId });

    expect(refunded).toMatchObject({ paymentId, amountCents: 1150, status: 'REFUNDED' });
    expect((await gateway.getPayment(paymentId))?.status).toBe('REFUNDED');
  });

  it('with tok_flaky fails the first two attempts as GatewayUnavailable and charges once on the third', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      outcomes.push(await charge({ token: 'tok_flaky' }).then((p) => p.status, (e: unknown) => (e instanceof TransientError ? e.type : String(e))));
    }

    expect(outcomes).toEqual(['GatewayUnavailable', 'GatewayUnavailable', 'CAPTURED']);
    expect((await paymentRows()).map((r) => [r.amount_cents, r.status])).toEqual([[1150, 'CAPTURED']]);
  });
});
