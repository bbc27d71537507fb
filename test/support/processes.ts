// Spawning the project's built entry points (dist/) as a user would run them.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/dev/ports';
import { testSecrets } from './secrets';
import { waitFor } from './wait';

export const distEntry = (relative: string): string => path.resolve(__dirname, '..', '..', 'dist', relative);

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a built entry point with the given environment, and the tests' secrets unless it names its own. */
export function spawnNode(entry: string, env: Record<string, string>, args: string[] = []): Spawned {
  const child = spawn(process.execPath, [distEntry(entry), ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...testSecrets, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForOutput(spawned: Spawned, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  // A process that has exited will print no more: stop waiting then.
  const match = await waitFor(() => spawned.output().match(pattern), (m) => m !== null || spawned.child.exitCode !== null, { what: String(pattern), timeoutMs, show: () => `the output:\n${spawned.output()}` });
  if (!match) throw new Error(`no ${pattern} in the output of a process that exited (${spawned.child.exitCode}):\n${spawned.output()}`);
  return match;
}

export { freePort };

/**
 * SMTP, Mailpit's web page and NATS on free ports, for a test that runs `npm start` (which runs
 * Mailpit and nats-server there), so it never meets another test's servers.
 */
export async function localServerPorts(): Promise<{ SMTP_URL: string; MAILPIT_UI_URL: string; NATS_URL: string }> {
  return { SMTP_URL: `smtp://localhost:${await freePort()}`, MAILPIT_UI_URL: `http://localhost:${await freePort()}`, NATS_URL: `nats://localhost:${await freePort()}` };
}
