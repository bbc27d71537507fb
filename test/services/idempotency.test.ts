// Idempotency keys: one effect per key, the stored answer on a repeat, refusals on misuse.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { now } from '../../src/platform/db/database';
import { fingerprint } from '../../src/platform/fingerprint';
import { once } from '../../src/services/idempotency';
import { BusinessError } from '../../src/shop';
import { useFreshDatabase } from '../support/database';

describe('fingerprint', () => {
  it('does not depend on the order of object keys, at any depth', () => {
    const one = { orderId: 'o-1', items: [{ sku: 'MUG', quantity: 2 }], address: { city: 'Berlin', country: 'DE' } };
    const same = { address: { country: 'DE', city: 'Berlin' }, items: [{ quantity: 2, sku: 'MUG' }], orderId: 'o-1' };
    expect(fingerprint(same)).toBe(fingerprint(one));
  });

  it('differs when any value differs, including nested values and the order of array items', () => {
    const base = fingerprint({ orderId: 'o-1', items: [{ sku: 'MUG', quantity: 2 }, { sku: 'TEE', quantity: 1 }] });
    const variants = [
      { orderId: 'o-2', items: [{ sku: 'MUG', quantity: 2 }, { sku: 'TEE', quantity: 1 }] },
      { orderId: 'o-1', items: [{ sku: 'MUG', quantity: 3 }, { sku: 'TEE', quantity: 1 }] },
      { orderId: 'o-1', items: [{ sku: 'TEE', quantity: 1 }, { sku: 'MUG', quantity: 2 }] },
      { orderId: 'o-1', items: [{ sku: 'MUG', quantity: '2' }, { sku: 'TEE', quantity: 1 }] },
    ];
    for (const variant of variants) expect(fingerprint(variant)).not.toBe(base);
  });
});

describe('once', () => {
  const fresh = useFreshDatabase();
  let runs: number;

  beforeEach(async () => {
    runs = 0;
  });

  /** An effect that writes a row, as a real side effect would, so acting twice would show. */
  function recordNote(key: string, request: unknown, operation = 'test.note', fail = false) {
    return once(fresh.db, { key, operation, request }, async (trx) => {
      runs += 1;
      const id = `ntf_${randomUUID()}`;
      await trx
        .insertInto('notifications')
        .values({ id, recipient: 'ada@example.com', template: 'note', payload_json: JSON.stringify(request), status: 'PENDING', created_at: now() })
        .execute();
      if (fail) throw new Error('the effect failed after writing');
      return { id, run: runs };
    });
  }
  const notes = () => fresh.db.selectFrom('notifications').selectAll().execute();
  const storedKeys = () => fresh.db.selectFrom('idempotency_keys').selectAll().execute();

  it('acts once per key and replays the stored answer on a repeat', async () => {
    const first = await recordNote('key-1', { amountCents: 500 });
    const repeat = await recordNote('key-1', { amountCents: 500 });

    expect(repeat).toEqual(first);
    expect(runs).toBe(1);
    expect((await notes()).map((n) => n.id)).toEqual([first.id]);
  });

  it('acts again for a different key', async () => {
    const first = await recordNote('key-1', { amountCents: 500 });
    const second = await recordNote('key-2', { amountCents: 500 });

    expect(second.id).not.toBe(first.id);
    expect(runs).toBe(2);
    expect(await notes()).toHaveLength(2);
  });

  it('treats a repeat whose request differs only in key order as the same request', async () => {
    const first = await recordNote('key-1', { amountCents: 500, orderId: 'o-1' });
    expect(await recordNote('key-1', { orderId: 'o-1', amountCents: 500 })).toEqual(first);
    expect(runs).toBe(1);
  });

  it('refuses the same key with a different request and keeps the first effect only', async () => {
    const first = await recordNote('key-1', { amountCents: 500 });
    const error = await recordNote('key-1', { amountCents: 700 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BusinessError);
    expect((error as BusinessError).type).toBe('IdempotencyConflict');
    expect(runs).toBe(1);
    expect((await notes()).map((n) => n.id)).toEqual([first.id]);
  });

  it('refuses a key that was already used for another operation, even with the same request', async () => {
    await recordNote('key-1', { paymentId: 'pi_1' }, 'payment.capture');
    const error = await recordNote('key-1', { paymentId: 'pi_1' }, 'payment.refund').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BusinessError);
    expect((error as BusinessError).type).toBe('IdempotencyConflict');
    expect(runs).toBe(1);
    expect(await notes()).toHaveLength(1);
  });

  it('stores nothing when the action throws, so a later call with the same key acts again', async () => {
    await expect(recordNote('key-1', { amountCents: 500 }, 'test.note', true)).rejects.toThrow('the effect failed after writing');
    expect(await notes()).toEqual([]);
    expect(await storedKeys()).toEqual([]);

    const retried = await recordNote('key-1', { amountCents: 500 });

    expect(runs).toBe(2);
    expect(retried.run).toBe(2);
    expect((await notes()).map((n) => n.id)).toEqual([retried.id]);
    expect((await storedKeys()).map((k) => [k.key, k.operation])).toEqual([['key-1', 'test.note']]);
  });
});
