// `npm run test:cluster` only: the run's Temporal is the real cluster with mTLS on its frontend.
// A client must show a certificate from the shop's CA; the API and the worker, given theirs in the
// standard TEMPORAL_TLS_* settings, take an order to COMPLETED.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { temporalTarget } from '../../src/platform/temporal/connection';
import { HttpClient, orderFor } from '../api/helpers';
import { uniqueId } from '../support/database';
import { freePort, type Spawned, spawnNode, waitForOutput } from '../support/processes';

const env = inject('temporalEnv');
const answers = async (options: Parameters<typeof Connection.connect>[0]) => {
  const connection = await Connection.connect({ ...options, connectTimeout: 5000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return 'answered';
  } finally {
    await connection.close();
  }
};

describe('mTLS on the Temporal cluster', () => {
  if (env.TEMPORAL_TLS_CLIENT_CERT_PATH === undefined) throw new Error('run by npm run test:cluster, whose Temporal has mTLS on');
  const { connection: withCertificate } = temporalTarget(env);
  const tls = withCertificate.tls as { serverNameOverride: string; serverRootCACertificate: Uint8Array };
  const spawned: Spawned[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-mtls-'));
  afterAll(async () => {
    for (const p of spawned) if (p.child.exitCode === null) (p.child.kill('SIGTERM'), await p.exited);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a client that shows no certificate, and one that speaks plaintext', async () => {
    await expect(answers({ address: withCertificate.address, tls: { serverNameOverride: tls.serverNameOverride, serverRootCACertificate: tls.serverRootCACertificate } })).rejects.toThrow(/certificate|handshake|UNAVAILABLE|connect/i);
    await expect(answers({ address: withCertificate.address })).rejects.toThrow();
  });

  it('refuses a client whose certificate another CA signed', async () => {
    const stranger = { crt: fs.readFileSync(path.join(path.dirname(env.TEMPORAL_TLS_CLIENT_CERT_PATH!), 'stranger-client.crt')), key: fs.readFileSync(path.join(path.dirname(env.TEMPORAL_TLS_CLIENT_CERT_PATH!), 'stranger-client.key')) };
    await expect(answers({ address: withCertificate.address, tls: { ...tls, clientCertPair: stranger } })).rejects.toThrow();
  });

  it('answers a client with the shop\'s certificate', async () => {
    expect(await answers(withCertificate)).toBe('answered');
  });

  it('runs an order to COMPLETED through the API and the worker as processes, each given its certificate in TEMPORAL_TLS_*', async () => {
    const port = await freePort();
    const shared = { ...env, DATA_DIR: dataDir, TEMPORAL_TASK_QUEUE: uniqueId('mtls'), WORKER_METRICS_PORT: '0', RATE_LIMIT_PER_MINUTE: '0' };
    const worker = spawnNode('main/worker.js', shared);
    spawned.push(worker);
    await waitForOutput(worker, /worker polling/);
    expect(worker.output()).toContain('mTLS');
    const api = spawnNode('main/api.js', { ...shared, PORT: String(port) });
    spawned.push(api);
    await waitForOutput(api, /API listening/);

    const http = new HttpClient(`http://127.0.0.1:${port}`);
    const sku = uniqueId('MTLS-MUG');
    expect((await http.put(`/inventory/${sku}`, { name: 'Mug', priceCents: 1250, available: 5 })).status).toBeLessThan(300);
    const id = uniqueId('mtls-order');
    expect((await http.post('/orders', orderFor([{ sku, quantity: 2 }]), { 'Idempotency-Key': id })).status).toBe(202);
    const until = async (status: string) => {
      for (let i = 0; i < 150; i++) {
        const order = await http.get(`/orders/${id}`);
        if (order.body?.status === status) return order.body;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`order ${id} never reached ${status}: ${JSON.stringify((await http.get(`/orders/${id}`)).body)}`);
    };
    await until('SHIPMENT_CREATED');
    expect((await http.post(`/orders/${id}/shipment-events`, { event: 'DISPATCHED' })).status).toBeLessThan(300);
    await until('DISPATCHED');
    expect((await http.post(`/orders/${id}/shipment-events`, { event: 'DELIVERED' })).status).toBeLessThan(300);
    const completed = await until('COMPLETED');
    expect(completed).toMatchObject({ status: 'COMPLETED', totalCents: 2500, payment: { status: 'CAPTURED' } });
    expect((await http.get(`/inventory/${sku}`)).body).toMatchObject({ available: 3 });
  });
});
