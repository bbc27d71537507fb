// The load: virtual customers at a fixed concurrency, each taking orders through the API from
// placement to the end, as a carrier (or a barista) would; and the floor, straight to Temporal.
import type { Client } from '@temporalio/client';
import { baristaAction, benchCoffeeFloor, benchFloor, carrierEvent } from './floor-workflow';

export interface Sample {
  /** When the order finished, ms since the run began. */
  at: number;
  postMs: number;
  completeMs: number;
}

export type Flow = 'orders' | 'coffee';

interface Http {
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** Runs `count` jobs, `concurrency` at a time, calling onDone after each. */
export async function atConcurrency(count: number, concurrency: number, job: (i: number) => Promise<void>, onDone: () => void): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      await job(i);
      onDone();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** One order (or coffee order) from POST to its ending, through the API. */
export async function oneOrder(http: Http, flow: Flow, id: string, body: unknown, startedAt: number): Promise<Sample> {
  const t0 = performance.now();
  const placed = await http.send('POST', flow === 'orders' ? '/orders' : '/coffee/orders', body, { 'Idempotency-Key': id });
  if (placed.status !== 202) throw new Error(`POST answered ${placed.status}: ${JSON.stringify(placed.body)}`);
  const postMs = performance.now() - t0;
  const base = flow === 'orders' ? `/orders/${id}` : `/coffee/orders/${id}`;
  const steps: [string, string, unknown?][] =
    flow === 'orders'
      ? [['SHIPMENT_CREATED', '/shipment-events', { event: 'DISPATCHED' }], ['', '/shipment-events', { event: 'DELIVERED' }], ['COMPLETED', '']]
      : [['QUEUED', '/claim'], ['', '/ready'], ['', '/pickup'], ['PICKED_UP', '']];
  for (const [waitFor, action, actionBody] of steps) {
    if (waitFor) await until(http, base, waitFor);
    if (action) {
      const answer = await http.send('POST', `${base}${action}`, actionBody);
      if (answer.status >= 300) throw new Error(`${action} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  }
  return { at: performance.now() - startedAt, postMs, completeMs: performance.now() - t0 };
}

/** The customers' reads that answer at once (one read of Temporal each); the API counts those that wait. */
export const customerReads = { count: 0 };

/**
 * Waits until the order shows `status`, as a client of the API should: each read asks to be
 * answered once the order has moved on from the status it last saw (`?after=…&wait=20`), so a
 * waiting customer makes one read per change of the order, not one per poll.
 */
async function until(http: Http, path: string, status: string): Promise<void> {
  let seen: string | undefined;
  for (;;) {
    if (seen === undefined) customerReads.count += 1;
    const answer = await http.send('GET', seen === undefined ? path : `${path}?after=${seen}&wait=20`);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    seen = String(answer.body.status);
    if (seen === status) return;
    if (['FAILED', 'CANCELLED', 'NEEDS_ATTENTION'].includes(seen)) throw new Error(`${path} ended ${seen}`);
  }
}

/**
 * One floor workflow of the flow's shape, with no API and no real activities: an order's is
 * started, signalled twice and awaited; a coffee order's is started, sent its three Updates
 * (claim, ready, pickup) and awaited.
 */
export async function oneFloor(client: Client, flow: Flow, taskQueue: string, id: string, startedAt: number): Promise<Sample> {
  const t0 = performance.now();
  if (flow === 'orders') {
    const handle = await client.workflow.start(benchFloor, { workflowId: id, taskQueue });
    const postMs = performance.now() - t0;
    await handle.signal(carrierEvent, 'DISPATCHED');
    await handle.signal(carrierEvent, 'DELIVERED');
    await handle.result();
    return { at: performance.now() - startedAt, postMs, completeMs: performance.now() - t0 };
  }
  const handle = await client.workflow.start(benchCoffeeFloor, { workflowId: id, taskQueue });
  const postMs = performance.now() - t0;
  for (const action of ['claim', 'ready', 'pickup']) await handle.executeUpdate(baristaAction, { args: [action] });
  await handle.result();
  return { at: performance.now() - startedAt, postMs, completeMs: performance.now() - t0 };
}

/**
 * Places an order and leaves it open where it waits for someone else (the carrier, a barista),
 * as many orders wait in a shop: what a worker's cache holds.
 */
export async function oneWaitingOrder(http: Http, flow: Flow, id: string, body: unknown): Promise<void> {
  const placed = await http.send('POST', flow === 'orders' ? '/orders' : '/coffee/orders', body, { 'Idempotency-Key': id });
  if (placed.status !== 202) throw new Error(`POST answered ${placed.status}: ${JSON.stringify(placed.body)}`);
  await until(http, flow === 'orders' ? `/orders/${id}` : `/coffee/orders/${id}`, flow === 'orders' ? 'SHIPMENT_CREATED' : 'QUEUED');
}
