// The simulated carrier: books shipments once per key, cancels them, refuses unserved countries.
import { beforeEach, describe, expect, it } from 'vitest';
import { Carrier } from '../../src/services';
import type { CreateShipmentRequest } from '../../src/services/carrier';
import { BusinessError, type ShippingAddress } from '../../src/shop';
import { useFreshDatabase } from '../support/database';

const BERLIN: ShippingAddress = { name: 'Ada Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' };

describe('Carrier', () => {
  const fresh = useFreshDatabase();
  let carrier: Carrier;

  beforeEach(async () => {
    carrier = new Carrier(fresh.db);
  });

  const createShipment = (overrides: Partial<CreateShipmentRequest> = {}) =>
    carrier.createShipment({ idempotencyKey: 'ship-1', orderId: 'order-1', address: BERLIN, items: [{ sku: 'MUG', quantity: 2 }], ...overrides });
  const shipmentRows = () => fresh.db.selectFrom('shipments').selectAll().execute();

  it('books a shipment with a tracking number and stores the address', async () => {
    const shipment = await createShipment();

    expect(shipment).toMatchObject({ orderId: 'order-1', status: 'CREATED' });
    expect(shipment.shipmentId).toMatch(/^shp_/);
    expect(shipment.trackingNumber).toMatch(/^TRK[0-9A-F]{12}$/);
    expect(await carrier.shipmentsForOrder('order-1')).toEqual([shipment]);
    expect(JSON.parse((await shipmentRows())[0]!.address_json)).toEqual(BERLIN);
  });

  it('refuses a country it does not deliver to with AddressRejected and books nothing', async () => {
    const error = await createShipment({ address: { ...BERLIN, country: 'AQ' } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BusinessError);
    expect((error as BusinessError).type).toBe('AddressRejected');
    expect(await shipmentRows()).toEqual([]);
  });

  it('returns the same shipment for a repeated key and books it once', async () => {
    const first = await createShipment();
    const repeat = await createShipment();

    expect(repeat).toEqual(first);
    expect(await carrier.shipmentsForOrder('order-1')).toEqual([first]);
  });

  it('refuses a repeated key with another address as IdempotencyConflict', async () => {
    const first = await createShipment();
    const error = await createShipment({ address: { ...BERLIN, city: 'Hamburg' } }).catch((e: unknown) => e);

    expect((error as BusinessError).type).toBe('IdempotencyConflict');
    expect(await carrier.shipmentsForOrder('order-1')).toEqual([first]);
  });

  it('books a separate shipment, with its own tracking number, for another key', async () => {
    const first = await createShipment();
    const second = await createShipment({ idempotencyKey: 'ship-2' });

    expect(second.trackingNumber).not.toBe(first.trackingNumber);
    expect(await carrier.shipmentsForOrder('order-1')).toHaveLength(2);
  });

  it('cancels a shipment, and cancelling again leaves one cancelled shipment', async () => {
    const { shipmentId, trackingNumber } = await createShipment();

    const cancelled = await carrier.cancelShipment({ idempotencyKey: 'cancel-1', shipmentId });
    await carrier.cancelShipment({ idempotencyKey: 'cancel-1', shipmentId });
    await carrier.cancelShipment({ idempotencyKey: 'cancel-2', shipmentId });

    expect(cancelled).toEqual({ shipmentId, orderId: 'order-1', trackingNumber, status: 'CANCELLED' });
    expect(await carrier.shipmentsForOrder('order-1')).toEqual([cancelled]);
  });

  it('refuses to cancel a shipment it does not know with NotFound', async () => {
    const error = await carrier.cancelShipment({ idempotencyKey: 'cancel-1', shipmentId: 'shp_missing' }).catch((e: unknown) => e);
    expect((error as BusinessError).type).toBe('NotFound');
  });
});
