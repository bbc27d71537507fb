// Opens the business database, a SQLite file under DATA_DIR or PostgreSQL, and brings its
// schema up to date. Both run the same migrations and the same queries.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type Dialect, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrations } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export type DatabaseOptions =
  /** A SQLite file; ':memory:' for a throwaway database. */
  | { filename: string }
  /** A postgres:// URL. */
  | { url: string };

export async function openDatabase(opts: DatabaseOptions): Promise<Db> {
  const db = new Kysely<Database>({ dialect: 'url' in opts ? postgres(opts.url) : sqlite(opts.filename) });
  await migrate(db);
  return db;
}

function sqlite(filename: string): Dialect {
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  const database = new SQLite(filename);
  // WAL lets the API read while a worker writes; busy_timeout makes a second process wait for
  // the write lock instead of failing at once; NORMAL sync is durable across process crashes.
  // better-sqlite3 waits synchronously, so open one Db per file per process: a second handle in
  // the same process would block the event loop that the first needs to commit.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return new SqliteDialect({ database });
}

/** Ten connections per process: activities are short, and several processes share the server. */
const POSTGRES_POOL_SIZE = 10;

function postgres(url: string): Dialect {
  return new PostgresDialect({ pool: new Pool({ connectionString: url, max: POSTGRES_POOL_SIZE }) });
}

export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrations }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** True when the database answers a trivial query (for /readyz). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

export const now = (): string => new Date().toISOString();
