// A real business database for a test: a temporary SQLite file, or PostgreSQL in the PG run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { type Db, openDatabase } from '../../src/platform/db/database';

/**
 * A fresh database for a test: a SQLite file by default; with TEST_DATABASE_URL set (the
 * PostgreSQL run), a database of its own created on that server and dropped afterwards.
 */
export async function temporaryDatabase(): Promise<{ db: Db; close: () => Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  return server ? temporaryPostgres(server) : temporarySqlite();
}

async function temporarySqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-db-'));
  const db = await openDatabase({ filename: path.join(dir, 'business.db') });
  return {
    db,
    close: async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function temporaryPostgres(server: string) {
  const name = uniqueId('tf').replace(/-/g, '_').toLowerCase();
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  return {
    db,
    close: async () => {
      await db.destroy();
      const dropper = new pg.Client({ connectionString: server });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name}`);
      await dropper.end();
    },
  };
}

let counter = 0;
/** Ids unique across test files and runs, so tests never meet each other's workflows. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/**
 * For a test file or a describe block: a fresh database before each test (`fresh.db`), closed
 * after it. Register it before the hooks that build on it.
 */
export function useFreshDatabase(): { readonly db: Db } {
  const fresh = {} as { db: Db };
  let close: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    ({ db: fresh.db, close } = await temporaryDatabase());
  });
  afterEach(() => close?.());
  return fresh;
}
