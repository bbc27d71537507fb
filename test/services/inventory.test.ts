// Warehouse stock: catalog prices, all-or-nothing reservations, release and ship, no overselling.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/database';
import { InventoryService } from '../../src/services';
import { BusinessError, type BusinessFailureType, type OrderItem } from '../../src/shop';
import { temporaryDatabase, useFreshDatabase } from '../support/database';

/** Runs `count` one-unit reservations of LAMP in a child process; answers each outcome. */
function reserveInProcess(filename: string, first: number, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const script = path.join(__dirname, '..', 'support', 'reserve-in-process.cjs');
    execFile(process.execPath, [script, filename, 'LAMP', String(first), String(count)], (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as string[]),
    );
  });
}

const MUG = { sku: 'MUG', name: 'Mug', priceCents: 1250, available: 10 };
const TEE = { sku: 'TEE', name: 'T-shirt', priceCents: 2000, available: 3 };

/** The call must fail with a BusinessError of this type; the error is returned for more checks. */
async function expectRefusal(call: Promise<unknown>, type: BusinessFailureType): Promise<BusinessError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BusinessError);
  expect((error as BusinessError).type).toBe(type);
  return error as BusinessError;
}

async function stockOf(inventory: InventoryService, sku: string) {
  const item = await inventory.getItem(sku);
  return item && { available: item.available, reserved: item.reserved, shipped: item.shipped };
}

describe('InventoryService', () => {
  const fresh = useFreshDatabase();
  let inventory: InventoryService;

  beforeEach(async () => {
    inventory = new InventoryService(fresh.db);
    await inventory.upsertItem(MUG);
    await inventory.upsertItem(TEE);
  });

  const reserve = (idempotencyKey: string, items: OrderItem[], orderId = 'order-1') => inventory.reserve({ idempotencyKey, orderId, items });
  const stock = (sku: string) => stockOf(inventory, sku);
  const reservationCount = async () => (await fresh.db.selectFrom('reservations').select('id').execute()).length;

  describe('catalog', () => {
    it('creates an item with its price and nothing reserved or shipped', async () => {
      expect(await inventory.getItem('MUG')).toEqual({ ...MUG, reserved: 0, shipped: 0 });
    });

    it('updates name, price and available units but keeps what is reserved and shipped', async () => {
      const shippedOne = await reserve('reserve-1', [{ sku: 'MUG', quantity: 3 }]);
      await inventory.ship({ idempotencyKey: 'ship-1', reservationId: shippedOne.reservationId });
      await reserve('reserve-2', [{ sku: 'MUG', quantity: 2 }], 'order-2');

      const updated = await inventory.upsertItem({ sku: 'MUG', name: 'Big mug', priceCents: 1400, available: 50 });

      expect(updated).toEqual({ sku: 'MUG', name: 'Big mug', priceCents: 1400, available: 50, reserved: 2, shipped: 3 });
      expect(await inventory.getItem('MUG')).toEqual(updated);
    });

    it('names the SKUs it does not hold, in the order asked', async () => {
      expect(await inventory.unknownSkus(['NOPE', 'MUG', 'GONE', 'TEE'])).toEqual(['NOPE', 'GONE']);
      expect(await inventory.unknownSkus(['MUG', 'TEE'])).toEqual([]);
      expect(await inventory.unknownSkus([])).toEqual([]);
    });
  });

  describe('reserve', () => {
    it('moves units from available to reserved and prices every line from the catalog', async () => {
      const reservation = await reserve('reserve-1', [{ sku: 'MUG', quantity: 2 }, { sku: 'TEE', quantity: 1 }]);

      expect(reservation).toMatchObject({
        orderId: 'order-1',
        status: 'HELD',
        lines: [
          { sku: 'MUG', quantity: 2, unitPriceCents: 1250 },
          { sku: 'TEE', quantity: 1, unitPriceCents: 2000 },
        ],
        totalCents: 2 * 1250 + 1 * 2000 });
      expect(await stock('MUG')).toEqual({ available: 8, reserved: 2, shipped: 0 });
      expect(await stock('TEE')).toEqual({ available: 2, reserved: 1, shipped: 0 });
      expect(await inventory.getReservation(reservation.reservationId)).toEqual(reservation);
    });

    it('takes the last units of an item', async () => {
      await reserve('reserve-1', [{ sku: 'TEE', quantity: 3 }]);
      expect(await stock('TEE')).toEqual({ available: 0, reserved: 3, shipped: 0 });
    });

    it('is all or nothing when one item is short: OutOfStock names that sku and no stock moves', async () => {
      const error = await expectRefusal(reserve('reserve-1', [{ sku: 'MUG', quantity: 2 }, { sku: 'TEE', quantity: 4 }]), 'OutOfStock');

      expect(error.message).toContain('TEE');
      expect(error.message).not.toContain('MUG');
      expect(await stock('MUG')).toEqual({ available: 10, reserved: 0, shipped: 0 });
      expect(await stock('TEE')).toEqual({ available: 3, reserved: 0, shipped: 0 });
      expect(await reservationCount()).toBe(0);
    });

    it('refuses an unknown sku with UnknownSku and holds nothing of the known ones', async () => {
      const error = await expectRefusal(reserve('reserve-1', [{ sku: 'MUG', quantity: 1 }, { sku: 'NOPE', quantity: 1 }]), 'UnknownSku');

      expect(error.message).toContain('NOPE');
      expect(await stock('MUG')).toEqual({ available: 10, reserved: 0, shipped: 0 });
      expect(await reservationCount()).toBe(0);
    });

    it('returns the same reservation for a repeated key and moves stock only once', async () => {
      const items = [{ sku: 'MUG', quantity: 2 }];
      const first = await reserve('reserve-1', items);
      const repeat = await reserve('reserve-1', items);

      expect(repeat).toEqual(first);
      expect(await stock('MUG')).toEqual({ available: 8, reserved: 2, shipped: 0 });
      expect(await reservationCount()).toBe(1);
    });

    it('refuses a repeated key with other items as IdempotencyConflict and keeps the first hold', async () => {
      await reserve('reserve-1', [{ sku: 'MUG', quantity: 2 }]);
      await expectRefusal(reserve('reserve-1', [{ sku: 'MUG', quantity: 5 }]), 'IdempotencyConflict');

      expect(await stock('MUG')).toEqual({ available: 8, reserved: 2, shipped: 0 });
      expect(await reservationCount()).toBe(1);
    });

    it('lets a refused key be used again once the stock is there', async () => {
      await expectRefusal(reserve('reserve-1', [{ sku: 'TEE', quantity: 5 }]), 'OutOfStock');
      await inventory.upsertItem({ ...TEE, available: 5 });

      const reservation = await reserve('reserve-1', [{ sku: 'TEE', quantity: 5 }]);

      expect(reservation.totalCents).toBe(5 * 2000);
      expect(await stock('TEE')).toEqual({ available: 0, reserved: 5, shipped: 0 });
    });
  });

  describe('release and ship', () => {
    const items = [{ sku: 'MUG', quantity: 2 }, { sku: 'TEE', quantity: 1 }];

    it('release puts the held units back on sale', async () => {
      const { reservationId } = await reserve('reserve-1', items);
      const released = await inventory.release({ idempotencyKey: 'release-1', reservationId });

      expect(released.status).toBe('RELEASED');
      expect((await inventory.getReservation(reservationId))?.status).toBe('RELEASED');
      expect(await stock('MUG')).toEqual({ available: 10, reserved: 0, shipped: 0 });
      expect(await stock('TEE')).toEqual({ available: 3, reserved: 0, shipped: 0 });
    });

    it('a second release, with the same key or another, changes nothing', async () => {
      const { reservationId } = await reserve('reserve-1', items);
      await inventory.release({ idempotencyKey: 'release-1', reservationId });

      expect((await inventory.release({ idempotencyKey: 'release-1', reservationId })).status).toBe('RELEASED');
      expect((await inventory.release({ idempotencyKey: 'release-2', reservationId })).status).toBe('RELEASED');
      expect(await stock('MUG')).toEqual({ available: 10, reserved: 0, shipped: 0 });
      expect(await stock('TEE')).toEqual({ available: 3, reserved: 0, shipped: 0 });
    });

    it('ship moves the held units from reserved to shipped, once', async () => {
      const { reservationId } = await reserve('reserve-1', items);
      const shipped = await inventory.ship({ idempotencyKey: 'ship-1', reservationId });
      await inventory.ship({ idempotencyKey: 'ship-2', reservationId });

      expect(shipped.status).toBe('SHIPPED');
      expect(await stock('MUG')).toEqual({ available: 8, reserved: 0, shipped: 2 });
      expect(await stock('TEE')).toEqual({ available: 2, reserved: 0, shipped: 1 });
    });

    it('refuses to release a shipped reservation with InvalidState and leaves the stock shipped', async () => {
      const { reservationId } = await reserve('reserve-1', items);
      await inventory.ship({ idempotencyKey: 'ship-1', reservationId });

      await expectRefusal(inventory.release({ idempotencyKey: 'release-1', reservationId }), 'InvalidState');

      expect((await inventory.getReservation(reservationId))?.status).toBe('SHIPPED');
      expect(await stock('MUG')).toEqual({ available: 8, reserved: 0, shipped: 2 });
    });

    it('refuses to release a reservation that does not exist with NotFound', async () => {
      await expectRefusal(inventory.release({ idempotencyKey: 'release-1', reservationId: 'res_missing' }), 'NotFound');
    });
  });
});

describe('InventoryService under concurrent orders', () => {
  const UNITS = 5;
  const ORDERS = 20;

  /** ORDERS orders of one unit each race for UNITS units; each order goes through one of `services`. */
  async function raceForLastUnits(services: InventoryService[]) {
    await services[0]!.upsertItem({ sku: 'LAMP', name: 'Lamp', priceCents: 4500, available: UNITS });
    const results = await Promise.allSettled(
      Array.from({ length: ORDERS }, (_, i) =>
        services[i % services.length]!.reserve({ idempotencyKey: `reserve-${i}`, orderId: `order-${i}`, items: [{ sku: 'LAMP', quantity: 1 }] }),
      ),
    );
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    return {
      held: results.filter((r) => r.status === 'fulfilled').length,
      refusalTypes: refusals.map((e) => (e instanceof BusinessError ? e.type : String(e))),
      stock: await stockOf(services[0]!, 'LAMP') };
  }

  it('never oversells when many orders race through one connection', async () => {
    const { db, close } = await temporaryDatabase();
    try {
      const outcome = await raceForLastUnits([new InventoryService(db)]);

      expect(outcome.held).toBe(UNITS);
      expect(outcome.refusalTypes).toEqual(Array(ORDERS - UNITS).fill('OutOfStock'));
      expect(outcome.stock).toEqual({ available: 0, reserved: UNITS, shipped: 0 });
    } finally {
      await close();
    }
  });

  it('holds stock once when retries of one order with the same key arrive together', async () => {
    const { db, close } = await temporaryDatabase();
    try {
      const inventory = new InventoryService(db);
      await inventory.upsertItem({ sku: 'LAMP', name: 'Lamp', priceCents: 4500, available: UNITS });
      const retries = await Promise.all(
        Array.from({ length: 5 }, () => inventory.reserve({ idempotencyKey: 'reserve-1', orderId: 'order-1', items: [{ sku: 'LAMP', quantity: 2 }] })),
      );

      expect(new Set(retries.map((r) => r.reservationId)).size).toBe(1);
      expect(await stockOf(inventory, 'LAMP')).toEqual({ available: UNITS - 2, reserved: 2, shipped: 0 });
    } finally {
      await close();
    }
  });

  it('never oversells when orders race from two processes on the same file, as two workers would', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-inventory-'));
    const filename = path.join(dir, 'business.db');
    const db = await openDatabase({ filename });
    try {
      const inventory = new InventoryService(db);
      await inventory.upsertItem({ sku: 'LAMP', name: 'Lamp', priceCents: 4500, available: UNITS });
      const half = ORDERS / 2;
      const outcomes = (await Promise.all([reserveInProcess(filename, 0, half), reserveInProcess(filename, half, half)])).flat();

      expect(outcomes.filter((o) => o === 'HELD')).toHaveLength(UNITS);
      expect(outcomes.filter((o) => o !== 'HELD')).toEqual(Array(ORDERS - UNITS).fill('OutOfStock'));
      expect(await stockOf(inventory, 'LAMP')).toEqual({ available: 0, reserved: UNITS, shipped: 0 });
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
