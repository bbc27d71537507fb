// A PostgreSQL of the project's own, for the local Temporal cluster (`npm start -- --cluster`,
// `npm run test:cluster`): Debian's server binaries, the data under a folder the caller names,
// listening on loopback only. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stopChild } from './child-process';

export interface LocalPostgres {
  port: number;
  /** The superuser, trusted on loopback: this server is for one machine only. */
  user: string;
  /** postgres://user@127.0.0.1:port/database */
  url: (database: string) => string;
  /** SIGTERM and wait (a fast shutdown that aborts open transactions). */
  stop: () => Promise<void>;
  process: ChildProcess;
}

export interface LocalPostgresOptions {
  /** Holds the cluster's files (created by initdb the first time) and its socket. */
  dir: string;
  port: number;
  /** Durability off: a server that lives for one test run. Never for data that matters. */
  throwaway?: boolean;
  quiet?: boolean;
}

const USER = 'shop';

/** Debian's server binaries, newest version first; undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0]!, 'bin') : undefined;
}

const asRoot = process.getuid?.() === 0;

/** A command as the `postgres` user when we are root (PostgreSQL's own rule), else as ourselves. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(opts: LocalPostgresOptions): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server: install Debian\'s postgresql package (apt-get install postgresql)');
  const dir = path.resolve(opts.dir);
  const data = path.join(dir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  if (asRoot) {
    execFileSync('chown', ['postgres', dir]);
    assertReachableByPostgres(dir);
  }
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    const [command, args] = asPostgresUser(path.join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '--encoding=UTF8', '--locale=C']);
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const settings = [
    `port=${opts.port}`,
    `unix_socket_directories=${dir}`,
    'listen_addresses=127.0.0.1',
    'max_connections=300',
    ...(opts.throwaway ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ].flatMap((s) => ['-c', s]);
  const [command, args] = asPostgresUser(path.join(bin, 'postgres'), ['-D', data, ...settings]);
  const output = opts.quiet ? 'ignore' : 'inherit';
  const child = spawn(command, args, { stdio: ['ignore', output, output] });
  const deadline = Date.now() + 30_000;
  while (!(await answers(`postgres://${USER}@127.0.0.1:${opts.port}/postgres`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`PostgreSQL did not start on port ${opts.port} (data in ${data})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port: opts.port,
    user: USER,
    url: (database) => `postgres://${USER}@127.0.0.1:${opts.port}/${database}`,
    process: child,
    stop: () => stopChild(child),
  };
}

/** Runs `use` on a connection of its own to the database at `url`, closed afterwards whatever happens. */
export async function withPostgres<T>(url: string, use: (client: import('pg').Client) => Promise<T>, connectTimeoutMs = 10_000): Promise<T> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database unless it exists. */
export async function ensureDatabase(pg: LocalPostgres, database: string): Promise<void> {
  await withPostgres(pg.url('postgres'), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  });
}

/** The `postgres` user must be able to walk down to its folder: a 0700 temp folder above would stop it. */
function assertReachableByPostgres(dir: string): void {
  for (let at = path.dirname(dir); at !== path.dirname(at); at = path.dirname(at)) {
    if ((fs.statSync(at).mode & 0o001) === 0) throw new Error(`PostgreSQL runs as the postgres user, who cannot enter ${at}: chmod o+x it, or keep the data elsewhere`);
  }
}

/** True once the server takes a query (it accepts connections a moment before, to say it is starting). */
function answers(url: string): Promise<boolean> {
  return withPostgres(url, async (client) => (await client.query('SELECT 1'), true), 1000).catch(() => false);
}
