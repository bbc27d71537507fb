// A simulated shipping carrier: books and cancels shipments; refuses addresses it cannot serve.
import { randomUUID } from 'node:crypto';
import { type Db, now } from '../platform/db/database';
import { BusinessError, type OrderItem, type ShippingAddress } from '../shop';
import { once } from './idempotency';

export interface Shipment {
  shipmentId: string;
  orderId: string;
  trackingNumber: string;
  status: 'CREATED' | 'CANCELLED';
}

export interface CreateShipmentRequest {
  idempotencyKey: string;
  orderId: string;
  address: ShippingAddress;
  items: OrderItem[];
}

/** Countries the simulated carrier does not deliver to. */
export const UNSERVED_COUNTRIES: readonly string[] = ['AQ'];

export class Carrier {
  constructor(private readonly db: Db) {}

  async createShipment(req: CreateShipmentRequest): Promise<Shipment> {
    if (UNSERVED_COUNTRIES.includes(req.address.country)) {
      throw new BusinessError('AddressRejected', `the carrier does not deliver to country ${req.address.country}`);
    }
    const request = { orderId: req.orderId, address: req.address, items: req.items };
    return once(this.db, { key: req.idempotencyKey, operation: 'carrier.create', request }, async (trx) => {
      const shipment: Shipment = {
        shipmentId: `shp_${randomUUID()}`,
        orderId: req.orderId,
        trackingNumber: `TRK${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
        status: 'CREATED',
      };
      await trx
        .insertInto('shipments')
        .values({
          id: shipment.shipmentId,
          order_id: req.orderId,
          tracking_number: shipment.trackingNumber,
          status: 'CREATED',
          address_json: JSON.stringify(req.address),
          created_at: now(),
          updated_at: now(),
        })
        .execute();
      return shipment;
    });
  }

  /** Cancels a booked shipment; cancelling twice changes nothing the second time. */
  async cancelShipment(req: { idempotencyKey: string; shipmentId: string }): Promise<Shipment> {
    return once(this.db, { key: req.idempotencyKey, operation: 'carrier.cancel', request: { shipmentId: req.shipmentId } }, async (trx) => {
      const row = await trx.selectFrom('shipments').selectAll().where('id', '=', req.shipmentId).executeTakeFirst();
      if (!row) throw new BusinessError('NotFound', `no shipment ${req.shipmentId}`);
      await trx.updateTable('shipments').set({ status: 'CANCELLED', updated_at: now() }).where('id', '=', req.shipmentId).execute();
      return { shipmentId: row.id, orderId: row.order_id, trackingNumber: row.tracking_number, status: 'CANCELLED' };
    });
  }

  async shipmentsForOrder(orderId: string): Promise<Shipment[]> {
    const rows = await this.db.selectFrom('shipments').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();
    return rows.map((r) => ({ shipmentId: r.id, orderId: r.order_id, trackingNumber: r.tracking_number, status: r.status }));
  }
}
