// The simulated gateway: test tokens, authorize/capture/void/refund, idempotency and flaky faults.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/platform/db/database';
import { PaymentGateway } from '../../src/services';
import type { AuthorizeRequest, Payment } from '../../src/services/payment-provider';
import { BusinessError, type BusinessFailureType, TransientError } from '../../src/shop';
import { useFreshDatabase } from '../support/database';

/** The call must fail with a BusinessError of this type. */
async function expectRefusal(call: Promise<unknown>, type: BusinessFailureType): Promise<void> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BusinessError);
  expect((error as BusinessError).type).toBe(type);
}

/** What each of `times` attempts answered: the payment's status, or the transient fault's type. */
async function attempts(times: number, call: () => Promise<Payment>): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < times; i += 1) {
    outcomes.push(await call().then((p) => p.status, (e: unknown) => (e instanceof TransientError ? e.type : String(e))));
  }
  return outcomes;
}

const paymentRows = (db: Db) => db.selectFrom('payments').selectAll().execute();

describe('PaymentGateway', () => {
  const fresh = useFreshDatabase();
  let gateway: PaymentGateway;

  beforeEach(async () => {
    gateway = new PaymentGateway(fresh.db);
  });

  const authorize = (overrides: Partial<AuthorizeRequest> = {}) =>
    gateway.authorize({ idempotencyKey: 'authorize-1', orderId: 'order-1', token: 'tok_ok', amountCents: 4500, ...overrides });
  const statusOf = async (paymentId: string) => (await gateway.getPayment(paymentId))?.status;

  describe('authorize', () => {
    it('holds the amount on a good card', async () => {
      const payment = await authorize();

      expect(payment).toMatchObject({ orderId: 'order-1', amountCents: 4500, status: 'AUTHORIZED' });
      expect(await gateway.getPayment(payment.paymentId)).toEqual(payment);
      expect((await paymentRows(fresh.db)).map((r) => [r.id, r.amount_cents, r.token])).toEqual([[payment.paymentId, 4500, 'tok_ok']]);
    });

    it.each([
      ['tok_declined', 'CardDeclined'],
      ['tok_insufficient_funds', 'InsufficientFunds'],
      ['tok_stolen', 'InvalidPaymentToken'],
    ] as const)('refuses %s with %s and records no payment', async (token, type) => {
      await expectRefusal(authorize({ token }), type);

      expect(await gateway.paymentsForOrder('order-1')).toEqual([]);
      expect(await paymentRows(fresh.db)).toEqual([]);
    });

    it('returns the same payment for a repeated key and records it once', async () => {
      const first = await authorize();
      const repeat = await authorize();

      expect(repeat).toEqual(first);
      expect(await paymentRows(fresh.db)).toHaveLength(1);
    });

    it('refuses a repeated key with another amount as IdempotencyConflict and keeps the first amount', async () => {
      const first = await authorize();
      await expectRefusal(authorize({ amountCents: 9900 }), 'IdempotencyConflict');

      expect(await gateway.paymentsForOrder('order-1')).toEqual([first]);
    });
  });

  describe('capture, void and refund', () => {
    it('capture takes the authorized amount', async () => {
      const { paymentId } = await authorize();
      const captured = await gateway.capture({ idempotencyKey: 'capture-1', paymentId });

      expect(captured).toMatchObject({ paymentId, amountCents: 4500, status: 'CAPTURED' });
      expect(await statusOf(paymentId)).toBe('CAPTURED');
    });

    it('void releases an authorization that was never captured', async () => {
      const { paymentId } = await authorize();
      const voided = await gateway.voidAuthorization({ idempotencyKey: 'void-1', paymentId });

      expect(voided.status).toBe('VOIDED');
      expect(await statusOf(paymentId)).toBe('VOIDED');
    });

    it('refund gives a captured amount back', async () => {
      const { paymentId } = await authorize();
      await gateway.capture({ idempotencyKey: 'capture-1', paymentId });
      const refunded = await gateway.refund({ idempotencyKey: 'refund-1', paymentId });

      expect(refunded).toMatchObject({ paymentId, amountCents: 4500, status: 'REFUNDED' });
      expect(await statusOf(paymentId)).toBe('REFUNDED');
    });

    it('refuses to void a captured payment with InvalidState and leaves it captured', async () => {
      const { paymentId } = await authorize();
      await gateway.capture({ idempotencyKey: 'capture-1', paymentId });

      await expectRefusal(gateway.voidAuthorization({ idempotencyKey: 'void-1', paymentId }), 'InvalidState');
      expect(await statusOf(paymentId)).toBe('CAPTURED');
    });

    it('refuses to refund a payment that was only authorized, with InvalidState', async () => {
      const { paymentId } = await authorize();

      await expectRefusal(gateway.refund({ idempotencyKey: 'refund-1', paymentId }), 'InvalidState');
      expect(await statusOf(paymentId)).toBe('AUTHORIZED');
    });

    it('a second refund, with the same key or another, leaves one refunded payment', async () => {
      const { paymentId } = await authorize();
      await gateway.capture({ idempotencyKey: 'capture-1', paymentId });
      const first = await gateway.refund({ idempotencyKey: 'refund-1', paymentId });

      expect(await gateway.refund({ idempotencyKey: 'refund-1', paymentId })).toEqual(first);
      expect(await gateway.refund({ idempotencyKey: 'refund-2', paymentId })).toEqual(first);
      expect((await paymentRows(fresh.db)).map((r) => [r.id, r.amount_cents, r.status])).toEqual([[paymentId, 4500, 'REFUNDED']]);
    });

    it('refuses a key that was already used for another operation on the payment', async () => {
      const { paymentId } = await authorize();
      await gateway.capture({ idempotencyKey: 'settle-1', paymentId });

      await expectRefusal(gateway.refund({ idempotencyKey: 'settle-1', paymentId }), 'IdempotencyConflict');
      expect(await statusOf(paymentId)).toBe('CAPTURED');
    });

    it('refuses a payment it does not know with NotFound', async () => {
      await expectRefusal(gateway.capture({ idempotencyKey: 'capture-1', paymentId: 'pi_missing' }), 'NotFound');
    });
  });

  it('lists the payments of one order only', async () => {
    const first = await authorize({ idempotencyKey: 'authorize-1', amountCents: 1000 });
    const second = await authorize({ idempotencyKey: 'authorize-2', amountCents: 2000 });
    await authorize({ idempotencyKey: 'authorize-3', orderId: 'order-2', amountCents: 3000 });

    const payments = await gateway.paymentsForOrder('order-1');
    expect(payments.map((p) => p.paymentId).sort()).toEqual([first.paymentId, second.paymentId].sort());
    expect(payments.map((p) => p.amountCents).sort()).toEqual([1000, 2000]);
  });

  describe('with tok_flaky', () => {
    it('fails the first two attempts of each operation as GatewayUnavailable and goes through on the third', async () => {
      expect(await attempts(3, () => authorize({ token: 'tok_flaky' }))).toEqual(['GatewayUnavailable', 'GatewayUnavailable', 'AUTHORIZED']);
      const [payment] = await gateway.paymentsForOrder('order-1');
      const paymentId = payment!.paymentId;

      expect(await attempts(3, () => gateway.capture({ idempotencyKey: 'capture-1', paymentId }))).toEqual(['GatewayUnavailable', 'GatewayUnavailable', 'CAPTURED']);
      expect(await attempts(3, () => gateway.refund({ idempotencyKey: 'refund-1', paymentId }))).toEqual(['GatewayUnavailable', 'GatewayUnavailable', 'REFUNDED']);
      expect((await paymentRows(fresh.db)).map((r) => [r.id, r.amount_cents, r.status])).toEqual([[paymentId, 4500, 'REFUNDED']]);
    });

    it('records no payment while the authorization is failing', async () => {
      await attempts(2, () => authorize({ token: 'tok_flaky' }));
      expect(await paymentRows(fresh.db)).toEqual([]);
    });
  });
});

describe('PaymentGateway with tok_flaky across a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-gateway-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('remembers the failed attempts after the database is reopened', async () => {
    const filename = path.join(dir, 'business.db');
    const request = { idempotencyKey: 'authorize-1', orderId: 'order-1', token: 'tok_flaky', amountCents: 4500 };

    const before = await openDatabase({ filename });
    expect(await attempts(1, () => new PaymentGateway(before).authorize(request))).toEqual(['GatewayUnavailable']);
    await before.destroy();

    const after = await openDatabase({ filename });
    try {
      expect(await attempts(2, () => new PaymentGateway(after).authorize(request))).toEqual(['GatewayUnavailable', 'AUTHORIZED']);
      expect(await paymentRows(after)).toHaveLength(1);
    } finally {
      await after.destroy();
    }
  });
});
