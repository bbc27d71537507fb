// Events as workflows write them, for the publisher's and the consumers' tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Db, openDatabase } from '../../src/platform/db/database';
import { EventOutbox } from '../../src/services';
import { eventType, type ShopEvent } from '../../src/shop';
import { uniqueId } from './database';

const orderStatuses = ['RECEIVED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_CREATED', 'DISPATCHED', 'COMPLETED'];

export function orderEvent(orderId: string, sequence: number): ShopEvent {
  const status = orderStatuses[(sequence - 1) % orderStatuses.length]!;
  return {
    eventId: `order-${orderId}/event-${sequence}`,
    kind: 'order',
    orderId,
    type: eventType('order', status),
    status,
    sequence,
    occurredAt: new Date().toISOString(),
    totalCents: sequence > 1 ? 4740 : null,
    paymentStatus: sequence > 2 ? 'AUTHORIZED' : 'PENDING',
    customerId: 'c-1',
  };
}

/**
 * `orders` orders of `perOrder` events each, written as running workflows write them: each
 * order's events one after another, the orders interleaved. Answers the order ids.
 */
export async function writeEvents(outbox: EventOutbox, orders: number, perOrder: number): Promise<string[]> {
  const ids = Array.from({ length: orders }, () => uniqueId('ev'));
  for (let sequence = 1; sequence <= perOrder; sequence++) {
    for (const id of ids) await outbox.record([orderEvent(id, sequence)]);
  }
  return ids;
}

export async function freshOutbox(): Promise<{ db: Db; outbox: EventOutbox; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-events-'));
  const db = await openDatabase({ filename: path.join(dataDir, 'business.db') });
  return { db, outbox: new EventOutbox(db), dataDir };
}
