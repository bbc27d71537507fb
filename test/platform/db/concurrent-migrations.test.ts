// Processes that open one fresh business database at the same moment (APIs, workers, the migration Job): all start, each migration runs once.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/platform/db/database';
import { migrations } from '../../../src/platform/db/migrations';
import { uniqueId } from '../../support/database';
import { freePort, type Spawned, spawnNode, waitForOutput } from '../../support/processes';

/** As many as a Temporal cluster's 2 APIs and 3 workers, plus the Kubernetes migration Job. */
const RACERS = 6;
/** spawnNode takes a path under dist/; an absolute one is taken as it is. */
const racer = path.join(__dirname, 'race-to-migrate.cjs');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-race-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the racers, lets each load its modules, then releases them all at once; what each said, for those that failed. */
async function race(env: Record<string, string>): Promise<string[]> {
  const startFile = path.join(dir, 'start');
  const racers: Spawned[] = Array.from({ length: RACERS }, () => spawnNode(racer, env, [startFile]));
  await Promise.all(racers.map((r) => waitForOutput(r, /^ready$/m)));
  fs.writeFileSync(startFile, '');
  const codes = await Promise.all(racers.map((r) => r.exited));
  return racers.flatMap((r, i) => (codes[i] === 0 ? [] : [`exit ${codes[i]}: ${r.output()}`]));
}

const migrationNames = async (): Promise<string[]> => Object.keys(await migrations.getMigrations()).sort();

describe('migrations raced by several processes on SQLite', () => {
  const schemaOf = (file: string) => {
    const db = new SQLite(file, { readonly: true });
    try {
      return {
        schema: db.prepare(`select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`).all(),
        recorded: db.prepare('select name from kysely_migration order by name').all().map((r) => (r as { name: string }).name),
      };
    } finally {
      db.close();
    }
  };

  it('start every process, and leave the schema one process alone makes, each migration recorded once', async () => {
    const file = path.join(dir, 'business.db');
    expect(await race({ DATABASE_FILE: file })).toEqual([]);

    const referenceFile = path.join(dir, 'reference', 'business.db');
    await (await openDatabase({ filename: referenceFile })).destroy();
    const raced = schemaOf(file);
    expect(raced.recorded).toEqual(await migrationNames());
    expect(raced.schema).toEqual(schemaOf(referenceFile).schema);
  });
});

// The PostgreSQL cases are defined only where the run has one (npm run test:postgres sets
// TEST_DATABASE_URL), so npm test neither runs nor skips them.
const server = process.env.TEST_DATABASE_URL;
const onPostgres = server ? it : undefined;
const describeOnPostgres = server ? describe : () => undefined;

describeOnPostgres('migrations raced by several processes on PostgreSQL', () => {
  const made: string[] = [];
  const admin = async <T>(use: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  };
  /** A database of its own on the test server, with nothing in it yet. */
  const freshDatabase = async (): Promise<string> => {
    const name = uniqueId('tf_race').replace(/-/g, '_').toLowerCase();
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    made.push(name);
    const url = new URL(server!);
    url.pathname = `/${name}`;
    return url.toString();
  };
  afterEach(async () => {
    for (const name of made.splice(0)) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  const schemaOf = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = async (query: string) => (await client.query(query)).rows;
      return {
        columns: await rows(`select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = 'public' order by 1, 2`),
        indexes: await rows(`select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1`),
        constraints: await rows(`select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as definition from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`),
        recorded: (await rows('select name from kysely_migration order by name')).map((r) => r.name as string),
      };
    } finally {
      await client.end();
    }
  };

  it('start every process, and leave the schema one process alone makes, each migration recorded once', async () => {
    const url = await freshDatabase();
    expect(await race({ DATABASE_URL: url })).toEqual([]);

    const referenceUrl = await freshDatabase();
    await (await openDatabase({ url: referenceUrl })).destroy();
    const { recorded, ...schema } = await schemaOf(url);
    const { recorded: _, ...referenceSchema } = await schemaOf(referenceUrl);
    expect(recorded).toEqual(await migrationNames());
    expect(schema).toEqual(referenceSchema);
  });
});

describe('node dist/ops/migrate.js, as the migration Job runs it', () => {
  it('migrates a fresh SQLite database, says so in one line, and finds nothing to do the second time', async () => {
    const file = path.join(dir, 'business.db');
    const all = await migrationNames();
    const first = spawnNode('ops/migrate.js', { DATA_DIR: dir });
    expect(await first.exited).toBe(0);
    expect(first.output().trim()).toBe(`SQLite ${file}: applied ${all.length} migrations (${all.join(', ')}), 0 already there`);

    const again = spawnNode('ops/migrate.js', { DATA_DIR: dir });
    expect(await again.exited).toBe(0);
    expect(again.output().trim()).toBe(`SQLite ${file}: applied 0 migrations, ${all.length} already there`);
  });

  it('exits 1 within seconds when the database host accepts the connection and then says nothing, instead of hanging', async () => {
    // A host that drops packets after the handshake, as a firewall or a frozen server does.
    const silent = net.createServer((socket) => socket.on('error', () => undefined));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', () => resolve()));
    try {
      const started = Date.now();
      const failed = spawnNode('ops/migrate.js', { DATA_DIR: dir, DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/x` });
      expect(await failed.exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(failed.output()).toMatch(/database migration failed: .*(timeout|terminated)/i);
    } finally {
      silent.close();
    }
  }, 30_000);

  it('exits 1 at once with the reason when the database cannot be reached, and never shows its password', async () => {
    const started = Date.now();
    const failed = spawnNode('ops/migrate.js', { DATA_DIR: dir, DATABASE_URL: 'postgres://nobody:hunter2-in-url@127.0.0.1:1/x' });
    expect(await failed.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failed.output().trim()).toMatch(/^PostgreSQL postgres:\/\/nobody@127\.0\.0\.1:1\/x: database migration failed: .*ECONNREFUSED 127\.0\.0\.1:1$/);
    expect(failed.output()).not.toContain('hunter2');
  });

  onPostgres?.('migrates PostgreSQL at DATABASE_URL and names it without its password', async () => {
    const name = uniqueId('tf_job').replace(/-/g, '_').toLowerCase();
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(server!);
      url.pathname = `/${name}`;
      // The test server trusts every local connection: the password is there only to be hidden.
      url.password = 'hunter2-in-url';
      const job = spawnNode('ops/migrate.js', { DATA_DIR: dir, DATABASE_URL: url.toString() });
      expect(await job.exited).toBe(0);
      const all = await migrationNames();
      expect(job.output().trim()).toBe(`PostgreSQL postgres://${url.username}@${url.host}/${name}: applied ${all.length} migrations (${all.join(', ')}), 0 already there`);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
