// Mailpit, a real mail server for development: SMTP in, a web page and an API to read what came.
// Built with Go like the Temporal CLI (src/dev/go-tools.ts). It ignores a message whose
// Message-ID it already holds, as mail clients do: a relay that resends after a crash is seen once.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { findGoTool, goTools } from './go-tools';

export interface MailpitOptions {
  smtpPort: number;
  httpPort: number;
  /** Keeps the mail across restarts when given (a SQLite file); in memory otherwise. */
  dataDir?: string;
  quiet?: boolean;
  /** Messages kept before the oldest go (Mailpit's default is 500); 0 keeps all. */
  maxMessages?: number;
}

export async function startMailpit(opts: MailpitOptions): Promise<ChildProcess> {
  const binary = await findGoTool(goTools.mailpit);
  if (!binary) throw new Error('no mailpit: set MAILPIT_PATH, put mailpit on PATH, or install Go to build one');
  const args = ['--smtp', `127.0.0.1:${opts.smtpPort}`, '--listen', `127.0.0.1:${opts.httpPort}`, '--ignore-duplicate-ids', '--smtp-auth-accept-any', '--smtp-auth-allow-insecure', '--quiet'];
  if (opts.dataDir) args.push('--database', path.resolve(opts.dataDir, 'mailpit.db'));
  if (opts.maxMessages !== undefined) args.push('--max', String(opts.maxMessages));
  const child = spawn(binary, args, { stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', opts.quiet ? 'ignore' : 'inherit'] });
  const deadline = Date.now() + 20_000;
  // Something else on the web port would answer too: ready once it is Mailpit that answers.
  while (!(await listening(opts.smtpPort)) || !(await isMailpit(opts.httpPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mailpit did not start on ports ${opts.smtpPort}/${opts.httpPort}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

/** True when Mailpit's API answers on the port of 127.0.0.1 with what only Mailpit says. */
async function isMailpit(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/info`, { signal: AbortSignal.timeout(1000) });
    return res.ok && typeof ((await res.json()) as { Version?: unknown }).Version === 'string';
  } catch {
    return false;
  }
}

/** True when something accepts connections on the port of 127.0.0.1. */
export function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}
