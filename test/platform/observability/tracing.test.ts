import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { HttpClient, orderFor } from '../../api/helpers';
import { uniqueId } from '../../support/database';
import { freePort, spawnNode, waitForOutput, localServerPorts } from '../../support/processes';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** A stand-in OpenTelemetry collector on loopback: keeps every span posted to /v1/traces. */
function collector(): Promise<{ url: string; spans: ExportedSpan[]; close: () => void }> {
  const spans: ExportedSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
        for (const r of payload.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => server.close() })),
  );
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-tracing-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('traces', () => {
  it('follow an order from the HTTP request through the workflow to every activity, in one trace', async () => {
    const otel = await collector();
    const stack = spawnNode('dev/start.js', {
      ...(await localServerPorts()),
      PORT: String(await freePort()),
      ...inject('temporalEnv'),
      TEMPORAL_TASK_QUEUE: uniqueId('tq-tracing'),
      DATA_DIR: dataDir,
      WORKER_METRICS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: otel.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    try {
      const [, url] = await waitForOutput(stack, /API\s+(http:\/\/\S+)/);
      const api = new HttpClient(url!);
      const sku = uniqueId('SKU');
      await api.put(`/inventory/${sku}`, { name: 'Teapot', priceCents: 2900, available: 3 });
      const placed = await api.post('/orders', orderFor([{ sku, quantity: 1 }], { paymentToken: 'tok_declined' }), { 'Idempotency-Key': uniqueId('traced') });
      expect(placed.status).toBe(202);

      const expected = [
        'POST /orders',
        'StartWorkflow:orderFulfillment',
        'RunWorkflow:orderFulfillment',
        'RunActivity:reserveInventory',
        'RunActivity:authorizePayment',
        'RunActivity:releaseInventory',
        'RunActivity:sendNotification',
      ];
      const traceOfRequest = () => {
        const request = otel.spans.find((s) => s.name === 'POST /orders');
        return otel.spans.filter((s) => s.traceId === request?.traceId).map((s) => s.name);
      };
      // Workflow spans are exported when the workflow ends, in batches: wait for them.
      const deadline = Date.now() + 30_000;
      while (!expected.every((name) => traceOfRequest().includes(name)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

      expect(traceOfRequest()).toEqual(expect.arrayContaining(expected));
      const request = otel.spans.find((s) => s.name === 'POST /orders');
      const start = otel.spans.find((s) => s.name === 'StartWorkflow:orderFulfillment' && s.traceId === request!.traceId);
      expect(start?.parentSpanId).toBe(request!.spanId);
    } finally {
      stack.child.kill('SIGINT');
      await stack.exited;
      otel.close();
    }
  });
});
