// `npm start -- --cluster` (run by `npm run test:cluster`): the shop on a real Temporal cluster of
// its own on this machine, with the standalone Web UI server, as a team would run it without Docker.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueId } from '../support/database';
import { freePort, localServerPorts, type Spawned, spawnNode, waitForOutput } from '../support/processes';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-start-cluster-'));
// PostgreSQL runs as its own user, who must be able to enter the folder.
fs.chmodSync(dataDir, 0o755);
let stack: Spawned | undefined;

afterAll(async () => {
  if (stack?.child.exitCode === null) stack.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('npm start -- --cluster', () => {
  it('runs the shop on a Temporal cluster and PostgreSQL of its own with the Web UI server, serves an order to COMPLETED, keeps it across a restart, and stops everything on Ctrl-C', async () => {
    const [apiPort, frontendPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const env = { ...(await localServerPorts()), DATA_DIR: dataDir, PORT: String(apiPort), TEMPORAL_ADDRESS: `127.0.0.1:${frontendPort}`, TEMPORAL_UI_URL: `http://localhost:${uiPort}`, WORKER_METRICS_PORT: '0' };
    const start = async () => {
      stack = spawnNode('dev/start.js', env, ['--cluster']);
      await waitForOutput(stack, /Ctrl-C stops everything/, 120_000);
      return stack;
    };
    await start();
    expect(stack!.output()).toContain(`cluster of 4 services on PostgreSQL 127.0.0.1:${frontendPort - 1800}`);
    expect(stack!.output()).toContain(`business data in PostgreSQL postgres://shop@127.0.0.1:${frontendPort - 1800}/shop`);

    // The Web UI server asks the API's codec, with the staff cookie, to open orders.
    const ui = (await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`)).json()) as { Codec: { Endpoint: string; IncludeCredentials: boolean } };
    expect(ui.Codec).toMatchObject({ Endpoint: `http://localhost:${apiPort}/codec`, IncludeCredentials: true });

    const minted = spawnNode('ops/staff-token.js', env, ['--name', 'Grace', '--role', 'admin']);
    expect(await minted.exited).toBe(0);
    const token = minted.output().trim().split('\n').at(-1)!;
    const call = async (method: string, url: string, body?: object, headers: Record<string, string> = {}) => {
      const res = await fetch(`http://127.0.0.1:${apiPort}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: body && JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const sku = uniqueId('KETTLE');
    expect((await call('PUT', `/inventory/${sku}`, { name: 'Kettle', priceCents: 3000, available: 3 })).status).toBe(200);
    const orderId = uniqueId('cluster');
    const order = { customerId: 'c-cluster', email: 'cluster@example.com', items: [{ sku, quantity: 1 }], shippingAddress: { name: 'Grace', line1: '1 Navy Rd', city: 'Arlington', postalCode: '22201', country: 'US' }, paymentToken: 'tok_ok' };
    expect((await call('POST', '/orders', order, { 'Idempotency-Key': orderId })).status).toBe(202);
    await eventually(async () => (await call('GET', `/orders/${orderId}`)).body.status === 'SHIPMENT_CREATED');
    for (const event of ['DISPATCHED', 'DELIVERED']) {
      const carrier = spawnNode('ops/carrier-event.js', env, ['--order', orderId, '--event', event]);
      expect(await carrier.exited, carrier.output()).toBe(0);
    }
    await eventually(async () => (await call('GET', `/orders/${orderId}`)).body.status === 'COMPLETED');

    stack!.child.kill('SIGINT');
    expect(await stack!.exited).toBe(0);
    expect(stack!.output()).toContain('stopped.');
    for (const port of [frontendPort, frontendPort + 1, frontendPort + 2, frontendPort + 6, frontendPort - 1800, uiPort]) expect(await listening(port), `port ${port}`).toBe(false);

    // Started again on the same folder: the schemas and namespace are there, and so is the order.
    await start();
    expect((await call('GET', `/orders/${orderId}`)).body).toMatchObject({ status: 'COMPLETED', totalCents: 3000, payment: { status: 'CAPTURED' } });
    stack!.child.kill('SIGINT');
    expect(await stack!.exited).toBe(0);
  }, 240_000);
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 150));
  }
}
