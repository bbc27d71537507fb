// Temporal Cloud's API key really reaches the server: the built worker and API talk HTTP/2 over
// TLS to a fake gRPC endpoint on loopback, which records the headers each request carries.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCertificates, type TestCertificates } from '../../support/certificates';
import { freePort, type Spawned, spawnNode, waitForOutput } from '../../support/processes';
import { staffToken } from '../../support/secrets';
import { waitFor } from '../../support/wait';

/** What the fake endpoint saw of one request. */
interface SeenRequest {
  path: string;
  authorization: string | undefined;
  namespace: string | undefined;
  /** The session ran over TLS, and ALPN chose h2. */
  encrypted: boolean;
  alpn: string | false | null | undefined;
}

const WORKFLOW_SERVICE = '/temporal.api.workflowservice.v1.WorkflowService/';

let certs: TestCertificates;
let tempRoot: string;
let server: http2.Http2SecureServer;
let serverPort: number;
const sessions = new Set<http2.ServerHttp2Session>();
const running = new Set<Spawned>();
let seen: SeenRequest[] = [];

/** A TLS-only HTTP/2 server that plays gRPC: every call is refused with UNAUTHENTICATED, trailers-only. */
async function startFakeTemporal(): Promise<void> {
  server = http2.createSecureServer({ key: fs.readFileSync(certs.server.key), cert: fs.readFileSync(certs.server.cert), ALPNProtocols: ['h2'] });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    const socket = stream.session?.socket as TLSSocket | undefined;
    seen.push({
      path: String(headers[':path']),
      authorization: headers.authorization as string | undefined,
      namespace: headers['temporal-namespace'] as string | undefined,
      encrypted: stream.session?.encrypted === true && socket?.encrypted === true,
      alpn: socket?.alpnProtocol,
    });
    stream.on('error', () => undefined);
    stream.resume();
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'test server' }, { endStream: true });
  });
  server.on('error', () => undefined);
  serverPort = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(serverPort, '127.0.0.1', () => resolve());
  });
}

function temporalEnv(extra: Record<string, string>): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: `127.0.0.1:${serverPort}`,
    TEMPORAL_NAMESPACE: 'shop.a1b2c',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca.cert,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    DATA_DIR: fs.mkdtempSync(path.join(tempRoot, 'data-')),
    WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

function start(entry: string, env: Record<string, string>): Spawned {
  const spawned = spawnNode(entry, env);
  running.add(spawned);
  return spawned;
}

/** SIGTERM, then SIGKILL if it has not exited within five seconds. */
async function stop(spawned: Spawned): Promise<void> {
  if (spawned.child.exitCode === null && spawned.child.signalCode === null) {
    spawned.child.kill('SIGTERM');
    const exited = await Promise.race([spawned.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    if (!exited) {
      spawned.child.kill('SIGKILL');
      await spawned.exited;
    }
  }
  running.delete(spawned);
}

/** The requests seen so far once one matches, or an error naming what was seen and the process's output. */
async function waitForRequest(spawned: Spawned, matches: (r: SeenRequest) => boolean, timeoutMs = 30_000): Promise<SeenRequest> {
  const found = await waitFor(() => seen.find(matches), (f) => f !== undefined || spawned.child.exitCode !== null, { what: 'the request', timeoutMs }).catch(() => undefined);
  if (found) return found;
  throw new Error(`the fake Temporal saw no such request; it saw ${JSON.stringify(seen.map((r) => ({ ...r, authorization: r.authorization && 'set' })))}; output:\n${spawned.output()}`);
}

const newKey = () => `test-api-key-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  certs = makeTestCertificates();
  tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-api-key-'));
  await startFakeTemporal();
});

beforeEach(() => {
  seen = [];
});

afterAll(async () => {
  await Promise.all([...running].map(stop));
  for (const session of sessions) session.destroy();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  certs?.remove();
  if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
});

describe('a Temporal API key', () => {
  it('is sent by the worker as a bearer token over TLS, and never appears in its output', async () => {
    const key = newKey();
    const worker = start('main/worker.js', temporalEnv({ TEMPORAL_API_KEY: key }));
    try {
      const first = await waitForRequest(worker, () => true);
      expect(first.authorization).toBe(`Bearer ${key}`);
      expect(first.encrypted).toBe(true);
      expect(first.alpn).toBe('h2');
      expect(first.path.startsWith(WORKFLOW_SERVICE)).toBe(true);
      // Refused, the worker says it waits for Temporal, describing where without the key.
      await waitForOutput(worker, /waiting for Temporal/, 30_000);
      expect(worker.output()).toContain('API key over TLS');
      expect(seen.every((r) => r.authorization === `Bearer ${key}` && r.encrypted)).toBe(true);
    } finally {
      await stop(worker);
    }
    expect(worker.output()).not.toContain(key);
  });

  it('is sent by the API when /readyz asks Temporal, which answers 503 promptly without showing the key', async () => {
    const key = newKey();
    const apiPort = await freePort();
    const api = start('main/api.js', temporalEnv({ TEMPORAL_API_KEY: key, PORT: String(apiPort), RATE_LIMIT_PER_MINUTE: '0' }));
    try {
      await waitForOutput(api, /API listening/, 30_000);
      const asked = Date.now();
      const response = await fetch(`http://127.0.0.1:${apiPort}/readyz`, { signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      const tookMs = Date.now() - asked;
      expect(response.status).toBe(503);
      expect(JSON.parse(body)).toMatchObject({ status: 'unavailable', checks: { temporal: 'down' } });
      expect(tookMs).toBeLessThan(10_000);
      expect(body).not.toContain(key);

      const probe = await waitForRequest(api, (r) => r.path.startsWith(WORKFLOW_SERVICE), 5_000);
      expect(probe.authorization).toBe(`Bearer ${key}`);
      expect(probe.encrypted).toBe(true);
      expect(probe.alpn).toBe('h2');
      expect(seen.every((r) => r.authorization === `Bearer ${key}`)).toBe(true);
    } finally {
      await stop(api);
    }
    expect(api.output()).not.toContain(key);
  });

  it('refused by Temporal, makes the API answer a new order with 503 naming the refusal, never 500, and say why in its log', async () => {
    const apiPort = await freePort();
    const api = start('main/api.js', temporalEnv({ TEMPORAL_API_KEY: newKey(), PORT: String(apiPort), RATE_LIMIT_PER_MINUTE: '0' }));
    try {
      await waitForOutput(api, /API listening/, 30_000);
      const token = await staffToken('admin');
      const send = (method: string, url: string, body: object, headers: Record<string, string> = {}) =>
        fetch(`http://127.0.0.1:${apiPort}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      const sku = `KEY-MUG-${randomBytes(4).toString('hex')}`;
      expect((await send('PUT', `/inventory/${sku}`, { name: 'Mug', priceCents: 1250, available: 5 })).status).toBe(200);
      const order = { customerId: 'c-key', email: 'key@example.com', items: [{ sku, quantity: 1 }], shippingAddress: { name: 'Ada', line1: '1 Loop Rd', city: 'London', postalCode: 'N1', country: 'GB' }, paymentToken: 'tok_ok' };
      const placed = await send('POST', '/orders', order, { 'Idempotency-Key': `key-${randomBytes(4).toString('hex')}` });
      expect(placed.status).toBe(503);
      expect(placed.headers.get('retry-after')).toBeTruthy();
      expect(await placed.text()).toContain("Temporal refused this service's credentials");
      await waitForOutput(api, /Temporal refused this service's credentials \(gRPC code 16: test server\): check TEMPORAL_API_KEY/, 5_000);
    } finally {
      await stop(api);
    }
  });

  it('is absent when none is set: the worker reaches the same TLS server without an authorization header', async () => {
    const worker = start('main/worker.js', temporalEnv({}));
    try {
      const first = await waitForRequest(worker, () => true);
      expect(first.encrypted).toBe(true);
      expect(first.path.startsWith(WORKFLOW_SERVICE)).toBe(true);
      expect(first.authorization).toBeUndefined();
      await waitForOutput(worker, /waiting for Temporal/, 30_000);
      expect(worker.output()).toMatch(/namespace shop\.a1b2c, TLS\)/);
      expect(seen.every((r) => r.authorization === undefined)).toBe(true);
    } finally {
      await stop(worker);
    }
  });
});
