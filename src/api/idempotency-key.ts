// The Idempotency-Key header, which becomes an order's id.
import type { Request } from 'express';
import { orderIdSchema } from '../domain';
import { parseOr400 } from './problem';

/** The client's Idempotency-Key; without one, every request is a new order. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  return key === undefined ? undefined : parseOr400(orderIdSchema, key, 'the Idempotency-Key header', 'Idempotency-Key');
}
