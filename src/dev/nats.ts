// nats-server with JetStream, for development and tests. Built with Go like the Temporal CLI
// (src/dev/go-tools.ts); its streams are kept under the store folder across restarts.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { findGoTool, goTools } from './go-tools';
import { listening } from './mailpit';

export interface NatsServerOptions {
  port: number;
  /** JetStream's files: the streams and their consumers survive a restart on the same folder. */
  storeDir: string;
  quiet?: boolean;
  /** Clients must give this user and password. */
  auth?: { user: string; pass: string };
}

export async function startNatsServer(opts: NatsServerOptions): Promise<ChildProcess> {
  const binary = await findGoTool(goTools.natsServer);
  if (!binary) throw new Error('no nats-server: set NATS_SERVER_PATH, put nats-server on PATH, or install Go to build one');
  const args = ['-js', '-a', '127.0.0.1', '-p', String(opts.port), '-sd', path.resolve(opts.storeDir), '-n', 'temporal-fulfillment'];
  if (opts.auth) args.push('--user', opts.auth.user, '--pass', opts.auth.pass);
  const child = spawn(binary, args, { stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', opts.quiet ? 'ignore' : 'inherit'] });
  const deadline = Date.now() + 20_000;
  while (!(await listening(opts.port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nats-server did not start on port ${opts.port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}
