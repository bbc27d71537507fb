// Server-Sent Events: pages follow an order, or the barista board, without reloading. Each stream
// is fed by the durable reads the API already answers with (an order's published view, the
// board from visibility), never by a query to a workflow. One watch per thing watched, however
// many pages follow it, and it reads when it is told the thing changed (`notice`), not every
// half second: a thousand pages watching orders that do not move cost nothing.
import type { Request, Response } from 'express';
import type { KindName } from '../../shop';
import { HttpProblem } from './problem';
import { RecentValues } from './recent-values';

/** What changed: an order's new status, as its event says. */
export interface Notice {
  orderId: string;
  status: string;
}

export interface Watch<T> {
  /** What the page sees: read again after each notice of a change. */
  read: () => Promise<T>;
  /** The stream ends after sending a value that can no longer change. */
  final?: (value: T) => boolean;
  /** Read again on a change to any order of this kind too (the barista board: any coffee order). */
  everyChangeOf?: KindName;
  /** Whether a value already shows the change noticed: then it is not read again for it. */
  shows: (value: T, notice: Notice) => boolean;
}

interface Running {
  watch: Watch<unknown>;
  listeners: Set<Response>;
  last?: string;
  timer?: NodeJS.Timeout;
  /** When the timer fires. */
  due?: number;
  /** The value last read. */
  value?: unknown;
  /** A read is under way: a notice then waits for its outcome rather than start another. */
  reading?: boolean;
  /** The changes noticed and not seen in a read yet, the latest for each order. */
  pending: Map<string, string>;
  /** Reads left to see them: a notice can come before Temporal has the change. */
  retries: number;
}

export interface LiveTiming {
  /**
   * How often a watched thing is read with no notice at all: the safety net for a change that
   * comes with no event (an order started before order events existed). 500 ms with no notices.
   */
  idleReadMs: number;
  /** How long after a notice the first read waits, so that several notices make one read. */
  noticeDelayMs: number;
}

/** No notices: read twice a second, as the pages did before notices existed. */
export const POLLING: LiveTiming = { idleReadMs: 500, noticeDelayMs: 0 };
/** With notices from the events outbox (src/main/change-feed.ts). */
export const NOTIFIED: LiveTiming = { idleReadMs: 30_000, noticeDelayMs: 250 };

/**
 * A change is noticed when the workflow writes its event, inside a workflow task that completes a
 * few milliseconds later; a read in between sees the view before it. Reads again at these delays
 * until the view has moved, then waits for the next notice.
 */
const RETRY_AFTER_MS = [250, 500, 1000, 2500];
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export class LiveReads {
  private readonly running = new Map<string, Running>();
  /** What waiting reads last read, while it still serves. */
  private readonly recent = new RecentValues<Notice>();
  /** Long polls waiting for a notice, by key. */
  private readonly waiting = new Map<string, Set<(change?: Notice) => void>>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Reads made, for the metrics: what the watchers cost Temporal. */
  reads = 0;

  constructor(private readonly timing: LiveTiming = POLLING) {
    this.heartbeat = setInterval(() => this.broadcastAll(': still here\n\n'), HEARTBEAT_MS).unref();
  }

  /**
   * Answers the request with a stream of `view` events (and `problem` events when a read fails),
   * closed with an `end` event once the thing watched can no longer change.
   */
  follow<T>(key: string, watch: Watch<T>, req: Request, res: Response): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    let running = this.running.get(key);
    if (!running) {
      running = { watch: watch as Watch<unknown>, listeners: new Set(), pending: new Map(), retries: 0 };
      this.running.set(key, running);
      void this.tick(key, running);
    } else if (running.last) {
      res.write(`event: view\ndata: ${running.last}\n\n`);
    }
    running.listeners.add(res);
    req.on('close', () => {
      running.listeners.delete(res);
      if (running.listeners.size === 0) this.stop(key, running);
    });
  }

  /**
   * The order behind `key` (its workflow id) changed: whoever watches it, or its kind, reads
   * again, unless what it last read shows the change already.
   */
  notice(kind: KindName, key: string, change: Notice): void {
    this.recent.noticed(key, change);
    const waiters = this.waiting.get(key);
    this.waiting.delete(key);
    for (const wake of waiters ?? []) wake(change);
    for (const [watched, running] of this.running) {
      if (watched !== key && running.watch.everyChangeOf !== kind) continue;
      if (running.value !== undefined && running.watch.shows(running.value, change)) continue;
      running.pending.set(change.orderId, change.status);
      running.retries = RETRY_AFTER_MS.length;
      if (!running.reading) this.schedule(watched, running, this.timing.noticeDelayMs);
    }
  }

  /**
   * A long poll: reads once, and while the value is still `unchanged` (and not final), waits for a
   * notice of a change and reads again, until `waitMs` is over. Answers the last value read:
   * what Temporal committed, never the notice.
   */
  async readWhenChanged<T>(key: string, watch: Watch<T>, unchanged: (value: T) => boolean, waitMs: number): Promise<T> {
    const deadline = Date.now() + waitMs;
    const read = async () => {
      this.reads += 1;
      const value = await watch.read();
      this.recent.keep(key, value, watch.shows);
      return value;
    };
    // Asked again right after an answer, with nothing noticed since: what was read then still holds.
    let value = (this.recent.get(key, this.timing.idleReadMs) as T | undefined) ?? (await read());
    while (unchanged(value) && !watch.final?.(value)) {
      const change = await this.nextNotice(key, deadline - Date.now());
      if (!change) return value;
      // A late notice of what was read already: nothing to read.
      if (watch.shows(value, change)) continue;
      // Read until the value shows the change: the notice can come before Temporal has it.
      for (const delay of [this.timing.noticeDelayMs, ...RETRY_AFTER_MS]) {
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(delay, deadline - Date.now()))));
        value = await read();
        if (watch.shows(value, change) || !unchanged(value) || Date.now() >= deadline) break;
      }
    }
    return value;
  }

  /** The next notice for `key`, or undefined once `ms` have passed (or the server stops). */
  private nextNotice(key: string, ms: number): Promise<Notice | undefined> {
    if (ms <= 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiters = this.waiting.get(key) ?? new Set();
      this.waiting.set(key, waiters);
      const wake = (change?: Notice) => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(change);
      };
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
    });
  }

  /** Ends every stream, and answers every long poll, as the server stops. */
  close(): void {
    for (const waiters of this.waiting.values()) for (const wake of waiters) wake();
    this.waiting.clear();
    clearInterval(this.heartbeat);
    for (const [key, running] of this.running) {
      for (const res of running.listeners) res.end();
      this.stop(key, running);
    }
  }

  private async tick(key: string, running: Running): Promise<void> {
    if (this.running.get(key) !== running) return;
    running.timer = undefined;
    let ended = false;
    try {
      this.reads += 1;
      running.reading = true;
      const value = await running.watch.read().finally(() => (running.reading = false));
      running.value = value;
      for (const [orderId, status] of running.pending) if (running.watch.shows(value, { orderId, status })) running.pending.delete(orderId);
      const text = JSON.stringify(value);
      if (text !== running.last) {
        running.last = text;
        this.broadcast(running, `event: view\ndata: ${text}\n\n`);
      }
      ended = running.watch.final?.(value) ?? false;
    } catch (err) {
      const problem = err instanceof HttpProblem ? err : new HttpProblem(500, 'Internal error', 'the stream could not read');
      this.broadcast(running, `event: problem\ndata: ${JSON.stringify({ status: problem.status, title: problem.title, detail: problem.detail })}\n\n`);
      ended = problem.status === 404;
    }
    if (ended) {
      // `end` tells the page not to reconnect: nothing more will change.
      for (const res of running.listeners) res.end('event: end\ndata: {}\n\n');
      this.stop(key, running);
      return;
    }
    // A change noticed and not seen yet: read again shortly, a few times. Otherwise wait for the next notice.
    const retry = running.pending.size > 0 && running.retries > 0 ? RETRY_AFTER_MS[RETRY_AFTER_MS.length - running.retries] : undefined;
    if (retry !== undefined) running.retries -= 1;
    else running.pending.clear();
    if (!running.timer) this.schedule(key, running, retry ?? this.timing.idleReadMs);
  }

  /** Reads `key` after `ms`, or sooner if a read is already due sooner. */
  private schedule(key: string, running: Running, ms: number): void {
    if (this.running.get(key) !== running) return;
    const due = Date.now() + ms;
    if (running.timer && running.due !== undefined && running.due <= due) return;
    clearTimeout(running.timer);
    running.due = due;
    running.timer = setTimeout(() => void this.tick(key, running), ms);
  }

  private stop(key: string, running: Running): void {
    clearTimeout(running.timer);
    if (this.running.get(key) === running) this.running.delete(key);
  }

  private broadcast(running: Running, text: string): void {
    for (const res of running.listeners) res.write(text);
  }

  private broadcastAll(text: string): void {
    for (const running of this.running.values()) this.broadcast(running, text);
  }
}
