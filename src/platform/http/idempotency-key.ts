// The Idempotency-Key header: an order's id when placing it, an Update's id when acting on it.
import type { Request } from 'express';
import { orderIdSchema } from '../../shop/schemas';
import { parseOr400 } from './problem';

/**
 * The order id the client chose, sent as its Idempotency-Key: placing the order again with it
 * meets the same order. Without one, every request is a new order.
 */
export function requestedOrderId(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  return key === undefined ? undefined : parseOr400(orderIdSchema, key, 'the Idempotency-Key header', 'Idempotency-Key');
}

/**
 * The Update id for an action on an order: the same action with the same key is one request,
 * however often it is sent. Without a key, the client's SDK makes a new id for every request.
 */
export function updateId(req: Request, action: string): string | undefined {
  const key = requestedOrderId(req);
  return key === undefined ? undefined : `${action}-${key}`;
}
