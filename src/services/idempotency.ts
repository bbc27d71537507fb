// Stripe-style idempotency keys: the first call with a key acts and stores its answer; a
// repeat returns that answer; the same key with different parameters is refused.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { BusinessError } from '../domain';
import { type Db, now } from '../db/database';
import type { Database } from '../db/schema';

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

/** A stable hash of a JSON value: object keys are sorted so their order does not matter. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
