// The live streams read when told of a change, as many times as it takes to see it, and otherwise
// leave Temporal alone: here over a real HTTP server and a stand-in for the durable read.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveReads, NOTIFIED } from '../../../src/platform/http/live';
import { followStream } from '../../support/server-sent-events';
import { waitFor } from '../../support/wait';

/** What the stand-in read answers: the view as Temporal has committed it so far. */
const committed = new Map<string, { status: string }>();
const reads = new Map<string, number>();
const live = new LiveReads(NOTIFIED);
let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.get('/watch/:key', (req, res) => {
    const key = req.params.key;
    const everyChangeOf = req.query.kind === 'coffee' ? ('coffee' as const) : undefined;
    // An order's view shows a change at its status; the stand-in board lists `orderId:status` pairs.
    const shows = (v: { status: string }, change: { orderId: string; status: string }) => (everyChangeOf ? v.status.includes(`${change.orderId}:${change.status}`) : v.status === change.status);
    live.follow(key, { read: async () => (reads.set(key, (reads.get(key) ?? 0) + 1), committed.get(key)!), final: (v) => v.status === 'DONE', everyChangeOf, shows }, req, res);
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  live.close();
  server.close();
});

/** A page following `key`. */
const follow = (key: string) => followStream(`${base}/watch/${key}`);

describe('a live stream', () => {
  it('reads once for all its watchers, then not at all while nothing changes', async () => {
    committed.set('idle', { status: 'WAITING' });
    const pages = await Promise.all(Array.from({ length: 25 }, () => follow('idle')));
    await waitFor(() => pages.every((p) => p.statuses.includes('WAITING')), Boolean, { what: 'every page to see the order' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(reads.get('idle')).toBe(1);
    for (const page of pages) await page.stop();
  });

  it('reads again on a notice, and once more for each notice that came before Temporal had the change', async () => {
    committed.set('moving', { status: 'A' });
    const page = await follow('moving');
    await waitFor(() => page.statuses, (s) => s.includes('A'), { what: 'the first view' });

    // The change is committed: one notice, one read.
    committed.set('moving', { status: 'B' });
    live.notice('order', 'moving', { orderId: 'moving', status: 'B' });
    await waitFor(() => page.statuses, (s) => s.includes('B'), { what: 'B' });
    expect(reads.get('moving')).toBe(2);

    // The notice comes first (the event was written inside a workflow task not yet completed):
    // the read sees B again, and the stream reads again until C shows.
    live.notice('order', 'moving', { orderId: 'moving', status: 'C' });
    await new Promise((r) => setTimeout(r, 400));
    committed.set('moving', { status: 'C' });
    await waitFor(() => page.statuses, (s) => s.includes('C'), { what: 'C', timeoutMs: 5000 });
    const afterC = reads.get('moving')!;
    expect(afterC).toBeGreaterThan(3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(reads.get('moving')).toBe(afterC);

    // A notice of what the page already shows (a late one) costs no read.
    live.notice('order', 'moving', { orderId: 'moving', status: 'C' });
    await new Promise((r) => setTimeout(r, 500));
    expect(reads.get('moving')).toBe(afterC);

    // The last change ends the stream.
    committed.set('moving', { status: 'DONE' });
    live.notice('order', 'moving', { orderId: 'moving', status: 'DONE' });
    await page.ended;
    expect(page.statuses).toEqual(['A', 'B', 'C', 'DONE']);
  });

  it('that follows a whole kind reads on a change to any order of that kind, and only of that kind', async () => {
    committed.set('board', { status: '' });
    const board = await follow('board?kind=coffee');
    await waitFor(() => board.statuses, (s) => s.length === 1, { what: 'the board' });

    committed.set('board', { status: 'B2:QUEUED' });
    live.notice('order', 'order-A1', { orderId: 'A1', status: 'DISPATCHED' });
    await new Promise((r) => setTimeout(r, 600));
    expect(board.statuses).toEqual(['']);

    live.notice('coffee', 'coffee-B2', { orderId: 'B2', status: 'QUEUED' });
    await waitFor(() => board.statuses, (s) => s.includes('B2:QUEUED'), { what: 'the board to show the new order' });
    expect(reads.get('board')).toBe(2);
    await board.stop();
  });
});
