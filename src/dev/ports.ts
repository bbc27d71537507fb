// Free loopback ports for servers that a test or the benchmark starts itself.
// They come from below the kernel's ephemeral range: the Temporal dev server gives its inner
// services (its HTTP API, history, matching, metrics) ports the kernel picks from that range, and does so
// again on every restart, so a port taken from there could be taken by Temporal a moment later,
// leaving Mailpit or nats-server unable to listen and requests meant for them answered by Temporal.
import fs from 'node:fs';
import net from 'node:net';

/** Lowest port handed out: above the well-known and most registered services' ports. */
const LOWEST = 10_000;

/** A loopback port nobody listens on right now, outside the range the kernel hands out itself. */
export async function freePort(): Promise<number> {
  const highest = ephemeralRangeStart() - 1;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = LOWEST + Math.floor(Math.random() * (highest - LOWEST + 1));
    if (await canListen(port)) return port;
  }
  return listenOnce(0);
}

/** Where Linux starts handing out ports for bind(0) and outgoing connections (32768 by default). */
function ephemeralRangeStart(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > LOWEST + 1000) return low;
  } catch {
    // Not Linux: the IANA range's start serves.
  }
  return 49_152;
}

function canListen(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}
