// Opens the business database, a SQLite file under DATA_DIR or PostgreSQL, and brings its
// schema up to date. Both run the same migrations and the same queries.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type Dialect, Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
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
  return (await openMigratedDatabase(opts)).db;
}

/** Opens the database and says what migrating it did (`npm run db:migrate` logs it); a failure closes what it opened. */
export async function openMigratedDatabase(opts: DatabaseOptions): Promise<{ db: Db; migrated: Migrated }> {
  const db = new Kysely<Database>({ dialect: 'url' in opts ? postgres(opts.url) : sqlite(opts.filename) });
  try {
    return { db, migrated: await migrate(db) };
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
}

/** Which database, fit for a log: the SQLite file, or PostgreSQL's URL without its password and query. */
export function describeDatabase(opts: DatabaseOptions): string {
  if ('filename' in opts) return `SQLite ${opts.filename}`;
  try {
    const url = new URL(opts.url);
    return `PostgreSQL ${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL at DATABASE_URL (not shown: it does not parse as a URL)';
  }
}

function sqlite(filename: string): Dialect {
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  const database = new SQLite(filename);
  // WAL lets the API read while a worker writes; busy_timeout makes a second process wait for
  // the write lock instead of failing at once; NORMAL sync is durable across process crashes.
  // better-sqlite3 waits synchronously, so open one Db per file per process: a second handle in
  // the same process would block the event loop that the first needs to commit.
  database.pragma('busy_timeout = 5000');
  // Turning a new file to WAL needs it alone for a moment, and SQLite answers SQLITE_BUSY at once,
  // not after busy_timeout, when another process starting beside this one holds it then.
  whileBusy(() => database.pragma('journal_mode = WAL'));
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return new SqliteDialect({ database });
}

/** Retries what SQLite refused as busy without waiting (it does so where waiting could deadlock), for as long as a migration may take. */
function whileBusy<T>(attempt: () => T): T {
  const deadline = Date.now() + SQLITE_MIGRATION_WAIT_MS;
  for (;;) {
    try {
      return attempt();
    } catch (err) {
      if (!(err instanceof SQLite.SqliteError && err.code.startsWith('SQLITE_BUSY')) || Date.now() > deadline) throw err;
      // Opening is synchronous, and so is this pause.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** Ten connections per process: activities are short, and several processes share the server. */
const POSTGRES_POOL_SIZE = 10;
/**
 * How long a connection may take to open (or a free one to come): a database host that drops
 * packets would otherwise hold a request, or a migration Job, for the kernel's TCP timeout of
 * minutes; this way the caller hears an error it can answer with (503, exit 1) in seconds.
 */
const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

function postgres(url: string): Dialect {
  return new PostgresDialect({ pool: new Pool({ connectionString: url, max: POSTGRES_POOL_SIZE, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS }) });
}

/** What migrating did. */
export interface Migrated {
  /** The migrations this process applied, in order. */
  applied: string[];
  /** How many the database had already. */
  alreadyThere: number;
}

/** kysely's Migrator's bookkeeping table, kept as it was: databases migrated before this runner have it. */
const MIGRATION_TABLE = 'kysely_migration';
type Bookkeeping = { [MIGRATION_TABLE]: { name: string; timestamp: string } };
/**
 * The advisory-lock key kysely's Migrator takes (at session level; the two levels exclude each
 * other), so during a rollout a process of an earlier version and one of this one still take turns.
 */
const POSTGRES_MIGRATION_LOCK = 3853314791062309107n;
/** A SQLite migrator waits this long for another process's migration, or a long write, to commit. */
const SQLITE_MIGRATION_WAIT_MS = 120_000;

/**
 * Brings the schema up to date beside other processes doing the same at the same moment (APIs,
 * workers, a migration Job). Each takes the database's one migration lock first (PostgreSQL: a
 * transaction-level advisory lock; SQLite: the write lock, BEGIN IMMEDIATE), reads what is
 * applied only then, and applies the rest with their bookkeeping rows in that same transaction;
 * the next one waits, then finds nothing left to do. DDL is transactional on both, so a migrator
 * that fails or dies leaves the schema as it found it.
 */
export async function migrate(db: Db): Promise<Migrated> {
  const known = await migrations.getMigrations();
  const names = Object.keys(known).sort();
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let current: string | undefined;
  try {
    return await db.connection().execute(async (conn) => {
      // better-sqlite3 waits for a lock synchronously: fine here, before the process serves anything.
      const busyTimeout = onPostgres ? undefined : (await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn)).rows[0]!.timeout;
      if (busyTimeout !== undefined) await sql`pragma busy_timeout = ${sql.lit(SQLITE_MIGRATION_WAIT_MS)}`.execute(conn);
      try {
        // A deferred BEGIN would read first and then fail to upgrade to writing (SQLITE_BUSY at
        // once in WAL mode) when another process had written in between.
        await (onPostgres ? sql`begin` : sql`begin immediate`).execute(conn);
        if (onPostgres) await sql`select pg_advisory_xact_lock(${sql.lit(POSTGRES_MIGRATION_LOCK)})`.execute(conn);
        const book = conn.withTables<Bookkeeping>();
        await book.schema
          .createTable(MIGRATION_TABLE)
          .ifNotExists()
          .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
          .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
          .execute();
        const done = (await book.selectFrom(MIGRATION_TABLE).select('name').execute()).map((r) => r.name).sort();
        const unknown = done.filter((name) => !(name in known));
        if (unknown.length > 0) throw new Error(`the database has ${unknown.join(', ')}, which this version does not know: a newer version migrated it`);
        const pending = names.filter((name) => !done.includes(name));
        const last = done.at(-1);
        const early = last === undefined ? undefined : pending.find((name) => name < last);
        if (early) throw new Error(`${early} sorts before ${last}, which the database has already: a new migration's name must sort after every applied one`);
        for (const name of pending) {
          current = name;
          await known[name]!.up(conn);
          await book.insertInto(MIGRATION_TABLE).values({ name, timestamp: new Date().toISOString() }).execute();
        }
        current = undefined;
        await sql`commit`.execute(conn);
        return { applied: pending, alreadyThere: done.length };
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw err;
      } finally {
        if (busyTimeout !== undefined) await sql`pragma busy_timeout = ${sql.lit(busyTimeout)}`.execute(conn);
      }
    });
  } catch (err) {
    throw new Error(`database migration ${current ? `${current} ` : ''}failed: ${reason(err)}`);
  }
}

/** A connection to a name with several addresses fails with an AggregateError whose own message is empty. */
function reason(err: unknown): string {
  if (err instanceof AggregateError && !err.message) return err.errors.map(reason).join('; ');
  return String(err);
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
