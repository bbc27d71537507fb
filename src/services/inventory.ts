// Warehouse stock: a catalog with prices, and all-or-nothing reservations that never oversell.
import { randomUUID } from 'node:crypto';
import { type Db, now } from '../platform/db/database';
import type { StockType } from '../platform/db/schema';
import { BusinessError, type OrderItem } from '../shop';
import { once, type Trx } from './idempotency';

export interface InventoryItem {
  sku: string;
  name: string;
  priceCents: number;
  available: number;
  reserved: number;
  shipped: number;
}

export interface ReservationLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Reservation {
  reservationId: string;
  orderId: string;
  status: 'HELD' | 'RELEASED' | 'SHIPPED';
  lines: ReservationLine[];
  totalCents: number;
}

export interface IngredientStock {
  name: string;
  unit: string | null;
  available: number;
  reserved: number;
  /** Put into drinks that were made. */
  used: number;
}

export interface ReserveRequest {
  idempotencyKey: string;
  orderId: string;
  items: OrderItem[];
  /** Products by default; the café reserves ingredients. */
  kind?: StockType;
}

export interface ReservationChange {
  idempotencyKey: string;
  reservationId: string;
}

export class InventoryService {
  constructor(private readonly db: Db) {}

  /** Creates or replaces a catalog entry; units already reserved or shipped are kept. */
  async upsertItem(item: { sku: string; name: string; priceCents: number; available: number }): Promise<InventoryItem> {
    await this.upsert('product', item.sku, { name: item.name, price_cents: item.priceCents, available: item.available, unit: null });
    return (await this.getItem(item.sku))!;
  }

  async getItem(sku: string): Promise<InventoryItem | undefined> {
    const row = await this.stockRow('product', sku);
    return row && { sku: row.sku, name: row.name, priceCents: row.price_cents, available: row.available, reserved: row.reserved, shipped: row.consumed };
  }

  /** Sets how much of an ingredient the café has on the shelf; amounts set aside are kept. */
  async upsertIngredient(ingredient: { name: string; available: number; unit: string | null }): Promise<IngredientStock> {
    await this.upsert('ingredient', ingredient.name, { name: ingredient.name, price_cents: 0, available: ingredient.available, unit: ingredient.unit });
    return (await this.getIngredient(ingredient.name))!;
  }

  async getIngredient(name: string): Promise<IngredientStock | undefined> {
    const row = await this.stockRow('ingredient', name);
    return row && { name: row.sku, unit: row.unit, available: row.available, reserved: row.reserved, used: row.consumed };
  }

  /** SKUs from the list that the catalog does not hold. */
  async unknownSkus(skus: string[]): Promise<string[]> {
    if (skus.length === 0) return [];
    const known = await this.db.selectFrom('inventory_items').select('sku').where('kind', '=', 'product').where('sku', 'in', skus).execute();
    const knownSet = new Set(known.map((r) => r.sku));
    return skus.filter((s) => !knownSet.has(s));
  }

  private async upsert(kind: StockType, sku: string, fields: { name: string; price_cents: number; available: number; unit: string | null }) {
    const written = await this.db
      .insertInto('inventory_items')
      .values({ sku, kind, ...fields, reserved: 0, consumed: 0, updated_at: now() })
      .onConflict((oc) => oc.column('sku').doUpdateSet({ ...fields, updated_at: now() }).where('inventory_items.kind', '=', kind))
      .executeTakeFirst();
    if (Number(written.numInsertedOrUpdatedRows) === 0) {
      throw new BusinessError('InvalidState', `"${sku}" is already stocked as ${kind === 'product' ? 'an ingredient' : 'a product'}`);
    }
  }

  private stockRow(kind: StockType, sku: string) {
    return this.db.selectFrom('inventory_items').selectAll().where('sku', '=', sku).where('kind', '=', kind).executeTakeFirst();
  }

  /**
   * Holds every item of an order, priced from the catalog, or none of them. For ingredients,
   * one the café has never stocked is simply short.
   */
  async reserve(req: ReserveRequest): Promise<Reservation> {
    const kind = req.kind ?? 'product';
    const request = { orderId: req.orderId, items: req.items, kind };
    return once(this.db, { key: req.idempotencyKey, operation: 'inventory.reserve', request }, async (trx) => {
      const skus = req.items.map((i) => i.sku);
      const rows = await trx.selectFrom('inventory_items').selectAll().where('kind', '=', kind).where('sku', 'in', skus).execute();
      const bySku = new Map(rows.map((r) => [r.sku, r]));
      const unknown = skus.filter((s) => !bySku.has(s));
      if (unknown.length > 0 && kind === 'product') throw new BusinessError('UnknownSku', `unknown sku: ${unknown.join(', ')}`);
      const short = req.items.filter((i) => (bySku.get(i.sku)?.available ?? 0) < i.quantity);
      if (short.length > 0) throw outOfStock(short.map((i) => i.sku));

      // Rows are locked in SKU order, so two orders for the same items cannot deadlock (PostgreSQL).
      const bySkuOrder = [...req.items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      for (const item of bySkuOrder) {
        // The guard in WHERE makes the check and the decrement one atomic step, so two orders
        // racing for the last unit cannot both win, whatever the isolation level.
        const updated = await trx
          .updateTable('inventory_items')
          .set((eb) => ({ available: eb('available', '-', item.quantity), reserved: eb('reserved', '+', item.quantity), updated_at: now() }))
          .where('sku', '=', item.sku)
          .where('available', '>=', item.quantity)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw outOfStock([item.sku]);
      }

      const lines = req.items.map((i) => ({ sku: i.sku, quantity: i.quantity, unitPriceCents: bySku.get(i.sku)!.price_cents }));
      const reservation: Reservation = {
        reservationId: `res_${randomUUID()}`,
        orderId: req.orderId,
        status: 'HELD',
        lines,
        totalCents: lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0),
      };
      await trx
        .insertInto('reservations')
        .values({ id: reservation.reservationId, order_id: req.orderId, status: 'HELD', total_cents: reservation.totalCents, created_at: now(), updated_at: now() })
        .execute();
      await trx
        .insertInto('reservation_lines')
        .values(lines.map((l) => ({ reservation_id: reservation.reservationId, sku: l.sku, quantity: l.quantity, unit_price_cents: l.unitPriceCents })))
        .execute();
      return reservation;
    });
  }

  /** Puts held units back on sale. Releasing twice changes nothing the second time. */
  async release(req: ReservationChange): Promise<Reservation> {
    return this.closeReservation(req, 'inventory.release', 'RELEASED', (q) => ({ available: q, reserved: -q }));
  }

  /** The units left the warehouse with the shipment (or went into a drink): no longer held, consumed. */
  async ship(req: ReservationChange): Promise<Reservation> {
    return this.closeReservation(req, 'inventory.ship', 'SHIPPED', (q) => ({ reserved: -q, consumed: q }));
  }

  async getReservation(reservationId: string): Promise<Reservation | undefined> {
    return loadReservation(this.db, reservationId);
  }

  /** Ends a HELD reservation (released or shipped) once per key, moving its units by `delta`. */
  private async closeReservation(
    req: ReservationChange,
    operation: string,
    target: 'RELEASED' | 'SHIPPED',
    delta: (quantity: number) => Partial<Record<'available' | 'reserved' | 'consumed', number>>,
  ): Promise<Reservation> {
    return once(this.db, { key: req.idempotencyKey, operation, request: { reservationId: req.reservationId } }, async (trx) => {
      const current = await loadReservation(trx, req.reservationId);
      if (!current) throw new BusinessError('NotFound', `no reservation ${req.reservationId}`);
      if (current.status === target) return current;
      if (current.status !== 'HELD') {
        throw new BusinessError('InvalidState', `reservation ${req.reservationId} is ${current.status}, not HELD`);
      }
      const moved = await trx
        .updateTable('reservations')
        .set({ status: target, updated_at: now() })
        .where('id', '=', req.reservationId)
        .where('status', '=', 'HELD')
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new BusinessError('InvalidState', `reservation ${req.reservationId} changed underneath`);
      for (const line of current.lines) {
        const change = delta(line.quantity);
        await trx
          .updateTable('inventory_items')
          .set((eb) => ({
            ...Object.fromEntries(Object.entries(change).map(([column, by]) => [column, eb(column as 'available', '+', by)])),
            updated_at: now(),
          }))
          .where('sku', '=', line.sku)
          .execute();
      }
      return { ...current, status: target };
    });
  }
}

function outOfStock(skus: string[]): BusinessError {
  return new BusinessError('OutOfStock', `not enough stock for: ${skus.join(', ')}`);
}

async function loadReservation(db: Db | Trx, reservationId: string): Promise<Reservation | undefined> {
  const row = await db.selectFrom('reservations').selectAll().where('id', '=', reservationId).executeTakeFirst();
  if (!row) return undefined;
  const lines = await db
    .selectFrom('reservation_lines')
    .select(['sku', 'quantity', 'unit_price_cents'])
    .where('reservation_id', '=', reservationId)
    .orderBy('sku')
    .execute();
  return {
    reservationId: row.id,
    orderId: row.order_id,
    status: row.status,
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceCents: l.unit_price_cents })),
    totalCents: row.total_cents,
  };
}
