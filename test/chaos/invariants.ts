// What must hold after any amount of crashing, read from the business database itself.
import type { Db } from '../../src/platform/db/database';
import type { ShopDay } from './shop';

export interface Verdict {
  checked: number;
  violations: string[];
}

export async function checkInvariants(db: Db, day: ShopDay): Promise<Verdict> {
  const violations: string[] = [];
  let checked = 0;
  const check = (ok: boolean, what: string) => {
    checked += 1;
    if (!ok) violations.push(what);
  };

  // Every unit is accounted for, and nothing is left on hold once every order has ended.
  const rows = await db.selectFrom('inventory_items').selectAll().where('sku', 'in', [...day.stock.keys(), ...day.ingredients.keys()]).execute();
  for (const [sku, initial] of [...day.stock, ...day.ingredients]) {
    const row = rows.find((r) => r.sku === sku);
    check(row !== undefined && row.available + row.reserved + row.consumed === initial, `${sku}: available + reserved + consumed = ${row && row.available + row.reserved + row.consumed}, not ${initial}`);
    check(row?.reserved === 0, `${sku}: ${row?.reserved} units still reserved`);
  }

  const ids = day.orders.map((o) => o.id);
  const [payments, reservations, shipments] = await Promise.all([
    db.selectFrom('payments').select(['order_id', 'status']).where('order_id', 'in', ids).execute(),
    db.selectFrom('reservations').select(['order_id', 'status']).where('order_id', 'in', ids).execute(),
    db.selectFrom('shipments').select(['order_id', 'status']).where('order_id', 'in', ids).execute(),
  ]);
  const of = <T extends { order_id: string }>(list: T[], id: string) => list.filter((r) => r.order_id === id);

  for (const o of day.orders) {
    const [payment, reservation, shipment] = [of(payments, o.id), of(reservations, o.id), of(shipments, o.id)];
    check(o.status === o.expect, `${o.id}: ended ${o.status}, expected ${o.expect}`);
    // Nothing doubled: one charge, one hold of stock, one parcel at most per order.
    check(payment.length <= 1, `${o.id}: ${payment.length} payments`);
    check(reservation.length <= 1, `${o.id}: ${reservation.length} reservations`);
    check(shipment.length <= 1, `${o.id}: ${shipment.length} shipments`);
    // Every ending matches its money and its stock.
    const paid = o.status === 'COMPLETED' || o.status === 'PICKED_UP';
    if (paid) {
      check(payment[0]?.status === 'CAPTURED', `${o.id}: ${o.status} but payment ${payment[0]?.status}`);
      check(reservation[0]?.status === 'SHIPPED', `${o.id}: ${o.status} but stock ${reservation[0]?.status}`);
    } else {
      check(payment.every((p) => p.status === 'VOIDED' || p.status === 'REFUNDED'), `${o.id}: ${o.status} but payment ${payment[0]?.status}`);
      check(reservation.every((r) => r.status === 'RELEASED'), `${o.id}: ${o.status} but stock ${reservation[0]?.status}`);
      check(shipment.every((s) => s.status === 'CANCELLED'), `${o.id}: ${o.status} but shipment ${shipment[0]?.status}`);
    }
  }
  return { checked, violations };
}
