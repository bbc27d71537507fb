// nats-server with JetStream, for development and tests. Built with Go like the Temporal CLI
// (src/dev/go-tools.ts); its streams are kept under the store folder across restarts.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { findGoTool, goTools } from './go-tools';

/** The name the server is started under, and greets clients with. */
const SERVER_NAME = 'temporal-fulfillment';

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
  const args = ['-js', '-a', '127.0.0.1', '-p', String(opts.port), '-sd', path.resolve(opts.storeDir), '-n', SERVER_NAME];
  if (opts.auth) args.push('--user', opts.auth.user, '--pass', opts.auth.pass);
  const child = spawn(binary, args, { stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', opts.quiet ? 'ignore' : 'inherit'] });
  const deadline = Date.now() + 20_000;
  // Something else on the port would accept connections too: ready once it is this server that greets.
  while (!(await greetsAs(opts.port, SERVER_NAME))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not start on port ${opts.port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

/** True when a NATS server on the port of 127.0.0.1 opens with an INFO line that carries the name. */
function greetsAs(port: number, name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let greeting = '';
    const done = (answer: boolean) => (socket.destroy(), resolve(answer));
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      greeting += chunk;
      if (!greeting.includes('\n')) return;
      const [verb, json] = [greeting.slice(0, 5), greeting.slice(5, greeting.indexOf('\n'))];
      try {
        done(verb === 'INFO ' && (JSON.parse(json) as { server_name?: string }).server_name === name);
      } catch {
        done(false);
      }
    });
  });
}
