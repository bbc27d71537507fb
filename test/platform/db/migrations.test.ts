// Migrations on a database that already holds a shop's data: nothing is lost, every guard stays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, migrate } from '../../../src/platform/db/database';
import { migrations } from '../../../src/platform/db/migrations';
import { createServices } from '../../../src/services';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A SQLite database as the shop's ran it before `0003_consumed`, its stock half shipped. */
async function databaseBeforeConsumed(): Promise<Db> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-migrate-'));
  const db: Db = new Kysely({ dialect: new SqliteDialect({ database: new SQLite(path.join(dir, 'business.db')) }) });
  const upTo = await new Migrator({ db, provider: migrations }).migrateTo('0002_ingredients');
  expect(upTo.error).toBeUndefined();
  return db;
}

describe('the migration that renames shipped to consumed', () => {
  it('keeps every unit shipped or used, and the no-negative guard', async () => {
    const db = await databaseBeforeConsumed();
    const row = { name: 'Mug', price_cents: 900, available: 7, reserved: 2, updated_at: new Date().toISOString(), kind: 'product' };
    await db.insertInto('inventory_items').values({ ...row, sku: 'MUG', shipped: 5 } as never).execute();

    await migrate(db);

    const services = createServices(db);
    expect(await services.inventory.getItem('MUG')).toMatchObject({ available: 7, reserved: 2, shipped: 5 });
    await expect(db.updateTable('inventory_items').set({ consumed: -1 }).where('sku', '=', 'MUG').execute()).rejects.toThrow(/CHECK/i);
    await db.destroy();
  });
});
