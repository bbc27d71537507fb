// Serves the API on a port and stops it gracefully: no new connections, in-flight requests finish.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveReads } from '../platform/http/live';
import type { ChangeFeed } from './change-feed';
import { createApp } from './app';
import type { ShopDeps } from './deps';

export interface RunningApi {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

export function startApiServer(deps: ShopDeps, port: number, host = '0.0.0.0'): Promise<RunningApi> {
  return new Promise((resolve, reject) => {
    const app = createApp(deps);
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const { port: actual } = server.address() as AddressInfo;
      // Live streams never finish by themselves: end them first, or they would hold the drain.
      const close = async () => {
        (app.locals.feed as ChangeFeed).stop();
        (app.locals.live as LiveReads).close();
        await closeServer(server);
      };
      resolve({ url: `http://localhost:${actual}`, server, close });
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
