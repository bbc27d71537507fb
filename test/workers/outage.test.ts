// Processes ride out Temporal outages: a worker started before its server waits for it, and the
// same worker and API carry orders on through a server restart, answering 503 while it is away.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, waitForTemporal } from '../../src/dev/dev-server';
import { findTemporalCli } from '../../src/dev/temporal-cli';
import { type Answer, HttpClient, orderFor } from '../api/helpers';
import { uniqueId } from '../support/database';
import { freePort, type Spawned, spawnNode, waitForOutput } from '../support/processes';
import { waitFor } from '../support/wait';

// Our own server on our own ports and data dir: the run's shared server cannot be stopped.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-outage-'));
let cliPath: string;
let env: Record<string, string>;
let server: ChildProcess | undefined;
let worker: Spawned;
let api: Spawned;
let http: HttpClient;

const sku = uniqueId('MUG');
const placedBeforeRestart = uniqueId('outage-before');
const placedAfterRestart = uniqueId('outage-after');

beforeAll(async () => {
  const found = await findTemporalCli();
  if (!found) throw new Error('no temporal CLI');
  cliPath = found;
  const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  env = {
    PORT: String(apiPort),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_URL: `http://localhost:${uiPort}`,
    DATA_DIR: dataDir,
    WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  await Promise.all([stop(api?.child), stop(worker?.child)]);
  await stop(server);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// The two tests are one story told in order: the second restarts the server the first waited for.
describe('processes and a Temporal outage', () => {
  it('a worker started while Temporal is unreachable waits with growing pauses, then polls and carries an order once the server comes up', async () => {
    worker = spawnNode('main/worker.js', env);
    // Three attempts take about two seconds from the start: the process is still there, waiting.
    await until(() => waitingLines().length >= 3, 'three attempts to reach Temporal', 15_000);
    expect(worker.child.exitCode).toBeNull();
    expect(worker.output()).not.toMatch(/worker polling/);
    // The pauses are real, not only logged: half a second and one second between the attempts.
    const [first, , third] = waitingLines();
    expect(Date.parse(third!.time) - Date.parse(first!.time)).toBeGreaterThanOrEqual(1400);
    expect(waitingLines().slice(0, 3).map((l) => [l.attempt, l.retryInMs, l.temporal])).toEqual([
      [1, 500, env.TEMPORAL_ADDRESS],
      [2, 1000, env.TEMPORAL_ADDRESS],
      [3, 2000, env.TEMPORAL_ADDRESS],
    ]);

    await startServer();
    // The longest pause before it looks again is 10 s, and by now it is at most 8 s.
    await waitForOutput(worker, /worker polling/, 20_000);
    await startApi();

    expect((await http.put(`/inventory/${sku}`, { name: 'Outage mug', priceCents: 1200, available: 10 })).status).toBe(200);
    expect((await placeOrder(placedBeforeRestart)).status).toBe(202);
    const view = await statusBecomes(placedBeforeRestart, 'SHIPMENT_CREATED');
    expect(view.payment.status).toBe('AUTHORIZED');
  }, 75_000);

  it('the same worker and API ride out a server restart: reads answer 503 with Retry-After while it is down, and orders placed before and after it complete', async () => {
    const pids = { worker: worker.child.pid, api: api.child.pid };
    await stopServer();

    const reads = await readWhileDown(placedBeforeRestart, 3000);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect(read, JSON.stringify(read)).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      expect(read.ms, JSON.stringify(read)).toBeLessThan(5000);
    }

    await startServer();
    expect((await untilAvailable(() => placeOrder(placedAfterRestart))).status).toBe(202);
    const views = await Promise.all([deliver(placedBeforeRestart), deliver(placedAfterRestart)]);
    for (const view of views) expect(view).toMatchObject({ status: 'COMPLETED', payment: { status: 'CAPTURED' }, shipment: { status: 'DELIVERED' } });
    expect((await http.get(`/inventory/${sku}`)).body).toMatchObject({ available: 8, reserved: 0, shipped: 2 });

    // Neither process was restarted: the same ones run, and the worker connected only once.
    for (const [name, spawned] of [['worker', worker], ['api', api]] as const) {
      expect(spawned.child.exitCode, `${name} exited:\n${spawned.output()}`).toBeNull();
      expect(spawned.child.pid).toBe(pids[name]);
      expect(() => process.kill(pids[name]!, 0)).not.toThrow();
    }
    expect(worker.output().match(/worker polling/g)).toHaveLength(1);
  }, 75_000);
});

/** Starts the server on the same address and data dir each time; fails at once if it exits instead. */
async function startServer(): Promise<void> {
  const uiPort = Number(new URL(env.TEMPORAL_UI_URL!).port);
  const started = startDevServer({ cliPath, dataDir, address: env.TEMPORAL_ADDRESS!, uiPort, ownProcessGroup: true, quiet: true });
  server = started;
  let onExit = (_code: number | null, _signal: string | null) => {};
  const exited = new Promise<never>((_, reject) => {
    onExit = (code, signal) => reject(new Error(`the Temporal server exited (${code ?? signal}) before it answered at ${env.TEMPORAL_ADDRESS}`));
    started.once('exit', onExit);
  });
  try {
    await Promise.race([waitForTemporal(env.TEMPORAL_ADDRESS!, 45_000), exited]);
  } finally {
    started.off('exit', onExit);
  }
}

async function stopServer(): Promise<void> {
  expect(await signalled(server, 'SIGTERM', 20_000), 'the server to exit on SIGTERM').toBe(true);
}

async function startApi(): Promise<void> {
  api = spawnNode('main/api.js', env);
  http = new HttpClient(`http://127.0.0.1:${env.PORT}`);
  await until(async () => (await http.get('/healthz').catch(() => undefined))?.status === 200, 'the API to listen', 20_000);
}

/** The worker's "waiting for Temporal" log lines, parsed; throws once the worker has exited. */
function waitingLines(): { time: string; attempt: number; retryInMs: number; temporal: string }[] {
  if (worker.child.exitCode !== null) throw new Error(`the worker exited with ${worker.child.exitCode}:\n${worker.output()}`);
  return worker
    .output()
    .split('\n')
    .filter((line) => line.includes('"waiting for Temporal"'))
    .map((line) => JSON.parse(line));
}

const placeOrder = (orderId: string) => http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': orderId });

/** GET /orders/:id again and again for `ms` from now, noting what each answered and how long it took. */
async function readWhileDown(orderId: string, ms: number): Promise<(Pick<Answer, 'status' | 'retryAfter'> & { ms: number })[]> {
  const reads = [];
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const started = Date.now();
    const answer = await http.get(`/orders/${orderId}`);
    reads.push({ status: answer.status, retryAfter: answer.retryAfter, ms: Date.now() - started });
    await new Promise((r) => setTimeout(r, 200));
  }
  return reads;
}

/** The order's view once it shows `status`; fails on a final status it was not meant to reach. */
async function statusBecomes(orderId: string, status: string, timeoutMs = 30_000) {
  let view: any;
  await until(async () => {
    const answer = await http.get(`/orders/${orderId}`);
    if (answer.status !== 200) return false;
    view = answer.body;
    if (['FAILED', 'CANCELLED', 'NEEDS_ATTENTION'].includes(view.status)) throw new Error(`order ${orderId} ended ${view.status}: ${JSON.stringify(view.failure)}`);
    return view.status === status;
  }, `order ${orderId} to be ${status}`, timeoutMs);
  return view;
}

/** As the carrier would: dispatched once the shipment exists, delivered once dispatched; the completed view. */
async function deliver(orderId: string) {
  for (const [from, event] of [['SHIPMENT_CREATED', 'DISPATCHED'], ['DISPATCHED', 'DELIVERED']]) {
    await statusBecomes(orderId, from!);
    // The same key on a retry: the order hears the event once, however often it is sent.
    const sent = await untilAvailable(() => http.send('POST', `/orders/${orderId}/shipment-events`, { json: { event }, headers: { 'Idempotency-Key': `${orderId}-${event}` } }));
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  }
  return statusBecomes(orderId, 'COMPLETED');
}

/** Sends again while the answer is 503, as its Retry-After invites, for at most `timeoutMs`. */
async function untilAvailable(send: () => Promise<Answer>, timeoutMs = 20_000): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await send();
    if (answer.status !== 503 || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  await waitFor(check, (holds) => holds, { what, timeoutMs });
}

/** Sends a signal and answers whether the child has exited within `ms`. */
async function signalled(child: ChildProcess | undefined, signal: NodeJS.Signals, ms: number): Promise<boolean> {
  const gone = () => !child || child.exitCode !== null || child.signalCode !== null;
  if (gone()) return true;
  const exited = new Promise<boolean>((resolve) => child!.once('exit', () => resolve(true)));
  child!.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(gone()), ms)));
  const answer = await Promise.race([exited, late]);
  clearTimeout(timer);
  return answer;
}

/** For the clean-up: SIGTERM, and SIGKILL for a child that does not go. */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!(await signalled(child, 'SIGTERM', 10_000))) await signalled(child, 'SIGKILL', 5000);
}
