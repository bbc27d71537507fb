// The Temporal dev server as this project needs it: flags, start, and waiting until it answers.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Settings } from '../platform/config';
import type { TemporalConnectionOptions } from '../platform/temporal/connection';
import { searchAttributeKeys } from '../shop';
import { stopChild } from './child-process';
import { findTemporalCli } from './temporal-cli';
import { codecFor, startUiServer } from './ui-server';

/** Server features the project uses: Update-with-Start and eager workflow start. */
export const devServerDynamicConfig = [
  '--dynamic-config-value',
  'frontend.enableExecuteMultiOperation=true',
  '--dynamic-config-value',
  'system.enableEagerWorkflowStart=true',
];

/**
 * The dev server's SQLite file in write-ahead-log mode, synced at checkpoints rather than on every
 * commit: about twice the workflows per second (docs/PERFORMANCE.md). A killed server loses
 * nothing; only a power cut can lose the last moments, which a development server can afford.
 */
export const devServerSqlitePragmas = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];

export function searchAttributeFlags(): string[] {
  return searchAttributeKeys.flatMap((k) => ['--search-attribute', `${k.name}=${searchAttributeCliType(k.type)}`]);
}

function searchAttributeCliType(type: string): string {
  return type.charAt(0) + type.slice(1).toLowerCase(); // KEYWORD → Keyword
}

export interface DevServerOptions {
  cliPath: string;
  /** The server persists to DATA_DIR/temporal.db, so orders survive a restart. */
  dataDir: string;
  address: string;
  /** Its own Web UI's port; none with `headless`. */
  uiPort?: number;
  /** No Web UI: the local stack runs the standalone one, which can send the staff cookie to the codec. */
  headless?: boolean;
  /** Keep the server out of the terminal's Ctrl-C, for a parent that stops it itself. */
  ownProcessGroup: boolean;
  /** Drop the server's own output (tests that restart it on purpose). */
  quiet?: boolean;
}

const muted = new WeakSet<ChildProcess>();

/** From now on the server's own output is dropped: called as `npm start` begins to stop everything. */
export function muteOutput(server: ChildProcess): void {
  muted.add(server);
}

export function startDevServer(opts: DevServerOptions): ChildProcess {
  const [host, port] = splitAddress(opts.address);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    port,
    ...(opts.headless ? ['--headless'] : ['--ui-port', String(opts.uiPort)]),
    '--db-filename',
    path.resolve(opts.dataDir, 'temporal.db'),
    '--log-level',
    'warn',
    ...devServerSqlitePragmas,
    ...devServerDynamicConfig,
    ...searchAttributeFlags(),
  ];
  // A process group of its own: Ctrl-C in the terminal reaches `npm start`, which stops the
  // server last, after the API and the worker have drained. Were the server left running by a
  // crash, the next `npm start` finds it answering and uses it.
  const server = spawn(opts.cliPath, args, { stdio: ['ignore', opts.quiet ? 'ignore' : 'pipe', opts.quiet ? 'ignore' : 'pipe'], detached: opts.ownProcessGroup });
  // Its lines pass through to the terminal until its shutdown, whose complaints about the
  // connections it is closing are noise (muteOutput).
  server.stdout?.on('data', (chunk: Buffer) => muted.has(server) || process.stdout.write(chunk));
  server.stderr?.on('data', (chunk: Buffer) => muted.has(server) || process.stderr.write(chunk));
  if (opts.ownProcessGroup) process.once('exit', () => server.kill('SIGTERM'));
  return server;
}

/** True when a Temporal frontend answers at the address (reached with these options) within the timeout. */
export async function temporalAnswers(target: string | TemporalConnectionOptions, timeoutMs = 1000): Promise<boolean> {
  try {
    const connection = await Connection.connect({ ...(typeof target === 'string' ? { address: target } : target), connectTimeout: timeoutMs });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

export async function waitForTemporal(target: string | TemporalConnectionOptions, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await temporalAnswers(target))) {
    if (Date.now() > deadline) throw new Error(`Temporal did not answer at ${typeof target === 'string' ? target : target.address} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), address.slice(at + 1)];
}

/** The local stack's Temporal: the dev server, and the Web UI beside it. */
export interface LocalTemporal {
  server: ChildProcess;
  /** Stops the UI and the server. */
  stop(): Promise<void>;
}

/**
 * The local stack's Temporal: the dev server at TEMPORAL_ADDRESS, persisted under DATA_DIR, with
 * no UI of its own; the standalone Web UI on TEMPORAL_UI_URL's port, decoding through the API's
 * codec for staff signed in (ui-server.ts). Answers once both do.
 */
export async function startLocalTemporal(settings: Settings, ownProcessGroup: boolean): Promise<LocalTemporal> {
  const cliPath = await findTemporalCli();
  if (!cliPath) throw new Error('no temporal CLI: set TEMPORAL_CLI_PATH, put `temporal` on PATH, or install Go to build one');
  const ui = new URL(settings.TEMPORAL_UI_URL);
  const uiPort = Number(ui.port || (ui.protocol === 'https:' ? 443 : 80));
  const { address } = settings.temporal.connection;
  const server = startDevServer({ cliPath, dataDir: settings.DATA_DIR, address, ownProcessGroup, headless: true });
  const exited = new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`the Temporal dev server exited (code ${code}) before it answered`))));
  exited.catch(() => undefined); // once it has answered, its exit is the caller's business
  await Promise.race([waitForTemporal(address), exited]);
  const webUi = await startUiServer({ dir: path.join(settings.DATA_DIR, 'ui'), port: uiPort, temporalAddress: address, ownProcessGroup, ...codecFor(settings) }).catch(async (err: unknown) => {
    await stopChild(server);
    throw err;
  });
  return { server, stop: async () => void (await Promise.all([stopChild(webUi), stopChild(server)])) };
}
