import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { uniqueId } from '../support/database';
import { freePort, localServerPorts, type Spawned, spawnNode, waitForOutput } from '../support/processes';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-start-'));
let stack: Spawned | undefined;

afterAll(async () => {
  if (stack?.child.exitCode === null) stack.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('creates its secrets, serves an order from placement to delivery with a minted staff token and a signed carrier event, then stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    // A new user's machine: no secret set anywhere.
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DATA_DIR: dataDir, STAFF_TOKEN_SECRET: '', CARRIER_WEBHOOK_SECRET: '', PAYLOAD_ENCRYPTION_KEYS: '' };
    const servers = await localServerPorts();
    stack = spawnNode('dev/start.js', { ...env, ...servers, PORT: String(port), TEMPORAL_UI_URL: 'http://localhost:8233', TEMPORAL_TASK_QUEUE: uniqueId('tq-start'), WORKER_METRICS_PORT: '0' });
    const [, api] = await waitForOutput(stack, /API\s+(http:\/\/\S+)/);
    expect(stack.output()).toContain(`using the Temporal server already at ${inject('temporalAddress')}`);
    expect(stack.output()).toMatch(/created STAFF_TOKEN_SECRET, CARRIER_WEBHOOK_SECRET, PAYLOAD_ENCRYPTION_KEYS in \S+secrets\.json/);
    // Readable by its owner only.
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o077).toBe(0);

    // The token comes from the same secret the API uses, read from DATA_DIR.
    const minted = spawnNode('ops/staff-token.js', env, ['--name', 'Grace', '--role', 'warehouse']);
    expect(await minted.exited).toBe(0);
    const token = minted.output().trim().split('\n').at(-1)!;

    const call = async (method: string, url: string, body?: object, headers: Record<string, string> = {}) => {
      const res = await fetch(`${api}${url}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await call('GET', '/readyz')).status).toBe(200);
    const sku = uniqueId('LAMP');
    const item = { name: 'Lamp', priceCents: 4500, available: 4 };
    expect((await call('PUT', `/inventory/${sku}`, item)).status).toBe(401);
    expect((await call('PUT', `/inventory/${sku}`, item, { authorization: `Bearer ${token}` })).status).toBe(200);

    const orderId = uniqueId('start');
    const placed = await call('POST', '/orders', {
      customerId: 'c-start',
      email: 'start@example.com',
      items: [{ sku, quantity: 2 }],
      shippingAddress: { name: 'Grace', line1: '1 Navy Rd', city: 'Arlington', postalCode: '22201', country: 'US' },
      paymentToken: 'tok_ok',
    }, { 'Idempotency-Key': orderId });
    expect(placed.status).toBe(202);

    await eventually(async () => (await call('GET', `/orders/${orderId}`)).body.status === 'SHIPMENT_CREATED');
    expect((await call('POST', `/orders/${orderId}/shipment-events`, { event: 'DELIVERED' })).status).toBe(401);
    const carrier = spawnNode('ops/carrier-event.js', { ...env, PORT: String(port) }, ['--order', orderId, '--event', 'DELIVERED']);
    expect(await carrier.exited, carrier.output()).toBe(0);
    await eventually(async () => (await call('GET', `/orders/${orderId}`)).body.status === 'COMPLETED');

    const order = (await call('GET', `/orders/${orderId}`)).body;
    expect(order).toMatchObject({ totalCents: 9000, payment: { status: 'CAPTURED' } });
    expect((await call('GET', `/inventory/${sku}`, undefined, { authorization: `Bearer ${token}` })).body).toMatchObject({ available: 2, reserved: 0 });

    // The customer's emails arrived in Mailpit, which npm start runs.
    expect(stack.output()).toContain(`Mailpit, ${servers.MAILPIT_UI_URL}`);
    const subjects = async () => {
      const res = await fetch(`${servers.MAILPIT_UI_URL}/api/v1/search?query=${encodeURIComponent('to:start@example.com')}`);
      return ((await res.json()) as { messages: { Subject: string }[] }).messages.map((m) => m.Subject).sort();
    };
    await eventually(async () => (await subjects()).length === 3);
    expect(await subjects()).toEqual([`Order ${orderId} is on its way`, `Order ${orderId} was delivered`, `Order ${orderId}: we have it`].sort());

    // Its events are on the stream of the nats-server npm start runs, and events:tail shows them.
    expect(stack.output()).toContain(`nats-server at ${servers.NATS_URL}, stream SHOP_EVENTS: npm run events:tail`);
    const tail = spawnNode('ops/events-tail.js', { ...env, NATS_URL: servers.NATS_URL });
    try {
      await waitForOutput(tail, new RegExp(`order\\.completed\\s+${orderId}`), 20_000);
    } finally {
      tail.child.kill('SIGINT');
      expect(await tail.exited).toBe(0);
    }
    const lines = tail.output().split('\n').filter((l) => l.includes(` ${orderId} `));
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(['order.received', 'order.inventory-reserved', 'order.payment-authorized', 'order.shipment-created', 'order.dispatched', 'order.completed']);
    expect(lines.at(-1)).toContain('#6  90.00  payment captured');

    // A line per request only for what needs a look: the refused PUT and the staff's own, not the
    // customer's reads and the order placed, which all went well and fast.
    const requestLines = stack.output().split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as { status: number; method: string; staff?: string });
    expect(requestLines.filter((r) => r.status === 401)).toHaveLength(2);
    expect(requestLines.filter((r) => r.status < 400 && !r.staff)).toEqual([]);
    expect(requestLines.filter((r) => r.staff === 'Grace').map((r) => r.method)).toContain('PUT');
    // The addresses come after what starting printed, which is a few lines; the SDK's own (workers
    // starting, each order's status) only from a warning up, and none came.
    const printed = stack.output().split('\n');
    expect(printed.findIndex((l) => l.startsWith('  Shop '))).toBeLessThanOrEqual(6);
    expect(printed.filter((l) => l.includes('"sdk":"temporal"'))).toEqual([]);

    stack.child.kill('SIGINT');
    expect(await stack.exited).toBe(0);
    expect(stack.output()).toContain('stopped.');
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 150));
  }
}
