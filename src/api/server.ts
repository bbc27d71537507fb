// Serves the API on a port and stops it gracefully: no new connections, in-flight requests finish.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { ApiDeps } from './deps';

export interface RunningApi {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

export function startApiServer(deps: ApiDeps, port: number, host = '0.0.0.0'): Promise<RunningApi> {
  return new Promise((resolve, reject) => {
    const server = createApp(deps).listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({ url: `http://localhost:${actual}`, server, close: () => closeServer(server) });
    });
  });
}

/** How long requests in flight get to finish once the server stops taking new ones. */
const DRAIN_MS = 15_000;

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), DRAIN_MS).unref();
  });
}
