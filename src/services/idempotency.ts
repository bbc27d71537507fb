// Stripe-style idempotency keys: the first call with a key acts and stores its answer; a
// repeat returns that answer; the same key with different parameters is refused.
import type { Transaction } from 'kysely';
import { type Db, now } from '../platform/db/database';
import type { Database } from '../platform/db/schema';
import { fingerprint } from '../platform/fingerprint';
import { BusinessError } from '../shop';

export type Trx = Transaction<Database>;

export interface IdempotentCall {
  key: string;
  /** Which operation the key belongs to: a key used for a refund cannot replay a capture. */
  operation: string;
  /** The parameters that must match on a repeat (without the key itself). */
  request: unknown;
}

/**
 * Runs `act` once per key, inside one transaction with the key's row, so the effect and the
 * record of it commit together or not at all. The key row is inserted first: a concurrent
 * call with the same key waits on it (PostgreSQL) or is serialized (SQLite), then replays.
 */
export async function once<T>(db: Db, call: IdempotentCall, act: (trx: Trx) => Promise<T>): Promise<T> {
  const requestHash = fingerprint(call.request);
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({ key: call.key, operation: call.operation, request_hash: requestHash, response_json: null, created_at: now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return replay<T>(trx, call, requestHash);

    const result = await act(trx);
    await trx
      .updateTable('idempotency_keys')
      .set({ response_json: JSON.stringify(result) })
      .where('key', '=', call.key)
      .execute();
    return result;
  });
}

async function replay<T>(trx: Trx, call: IdempotentCall, requestHash: string): Promise<T> {
  const stored = await trx.selectFrom('idempotency_keys').selectAll().where('key', '=', call.key).executeTakeFirstOrThrow();
  if (stored.operation !== call.operation || stored.request_hash !== requestHash) {
    throw new BusinessError(
      'IdempotencyConflict',
      `idempotency key "${call.key}" was already used for ${stored.operation} with other parameters`,
    );
  }
  if (stored.response_json === null) throw new Error(`idempotency key "${call.key}" has no stored answer`);
  return JSON.parse(stored.response_json) as T;
}
