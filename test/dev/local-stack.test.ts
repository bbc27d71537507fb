import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, HttpClient, orderFor } from '../api/helpers';
import { uniqueId } from '../support/database';
import { freePort, type Spawned, spawnNode, waitForOutput, localServerPorts } from '../support/processes';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-stack-'));
const running: Spawned[] = [];
afterAll(() => {
  for (const stack of running) if (stack.child.exitCode === null) stack.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` with a Temporal dev server of its own, persisted under dataDir. */
async function startStack(env: Record<string, string>): Promise<{ stack: Spawned; http: HttpClient }> {
  const stack = spawnNode('dev/start.js', { ...env, ...(await localServerPorts()), DATA_DIR: dataDir, WORKER_METRICS_PORT: '0', SIMULATED_GATEWAY_LATENCY_MS: '1500' });
  running.push(stack);
  const [, url] = await waitForOutput(stack, /API\s+(http:\/\/\S+)/, 90_000);
  return { stack, http: new HttpClient(url!) };
}

describe('the local stack', () => {
  it('drains a request in flight on Ctrl-C, and started again on the same DATA_DIR finishes the orders it had', async () => {
    const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const env = { PORT: String(port), TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_UI_URL: `http://localhost:${uiPort}` };
    const first = await startStack(env);
    expect(first.stack.output()).not.toContain('using the Temporal server already');
    expect(first.stack.output()).toMatch(/Workers\s+version temporal-fulfillment:wf-[0-9a-f]{12}, current/);

    const sku = uniqueId('LAMP');
    await first.http.put(`/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 10 });
    const [kept, cancelled] = [uniqueId('kept'), uniqueId('cancelled')];
    for (const key of [kept, cancelled]) {
      expect((await first.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': key })).status).toBe(202);
    }
    for (const key of [kept, cancelled]) await eventually(() => first.http.get(`/orders/${key}`), (o) => o.status === 'SHIPMENT_CREATED');

    // The cancel waits on a 1.5 s void at the gateway; Ctrl-C arrives while it is under way.
    const cancelling = first.http.post(`/orders/${cancelled}/cancel`);
    await new Promise((r) => setTimeout(r, 300));
    first.stack.child.kill('SIGINT');
    const answer = await cancelling;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
    expect(await first.stack.exited).toBe(0);
    // The dev server's complaints while it shuts down (connections it is closing) stay out of the terminal.
    const afterStopping = first.stack.output().slice(first.stack.output().indexOf('stopping:'));
    expect(afterStopping).not.toMatch(/connection refused|level=WARN/);
    expect(afterStopping).toContain('stopped.');

    const second = await startStack(env);
    try {
      expect((await second.http.get(`/orders/${kept}`)).body.status).toBe('SHIPMENT_CREATED');
      expect((await second.http.post(`/orders/${kept}/shipment-events`, { event: 'DELIVERED' })).status).toBe(202);
      const done = await eventually(() => second.http.get(`/orders/${kept}`), (o) => o.status === 'COMPLETED', 30_000);
      expect(done.payment.status).toBe('CAPTURED');
      expect((await second.http.get(`/orders/${cancelled}`)).body.status).toBe('CANCELLED');
      expect((await second.http.get(`/inventory/${sku}`)).body).toMatchObject({ available: 9, reserved: 0, shipped: 1 });
      const waiting = uniqueId('waiting');
      expect((await second.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': waiting })).status).toBe(202);
      await eventually(() => second.http.get(`/orders/${waiting}`), (o) => o.status === 'SHIPMENT_CREATED');
    } finally {
      second.stack.child.kill('SIGINT');
      expect(await second.stack.exited).toBe(0);
    }

    // After a change to the workflow code (a build id of its own stands for it), the order of the
    // earlier code waits for a worker of that code, and npm start says so rather than leave it silent.
    const third = await startStack({ ...env, TEMPORAL_WORKER_BUILD_ID: 'edited-code' });
    try {
      expect(third.stack.output()).toMatch(/Workers\s+version temporal-fulfillment:edited-code, current/);
      await waitForOutput(third.stack, /1 order\(s\) and 0 coffee order\(s\) run on an earlier version of the workflow code,\s+temporal-fulfillment:wf-[0-9a-f]{12}, and wait for a worker of it/);
    } finally {
      third.stack.child.kill('SIGINT');
      expect(await third.stack.exited).toBe(0);
    }
  }, 240_000);
});
