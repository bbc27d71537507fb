// Server-Sent Events: pages follow an order, or the barista board, without reloading. Each stream
// is fed by the durable reads the API already answers with (an order's published view, the
// board from visibility), never by a query to a workflow. One watch per thing watched, however
// many pages follow it: it reads every `intervalMs` while anyone listens and sends what changed.
import type { Request, Response } from 'express';
import { HttpProblem } from './problem';

export interface Watch<T> {
  /** What the page sees: read again on every tick. */
  read: () => Promise<T>;
  /** The stream ends after sending a value that can no longer change. */
  final?: (value: T) => boolean;
}

interface Running {
  listeners: Set<Response>;
  last?: string;
  timer?: NodeJS.Timeout;
}

/** How often a watched thing is read: a claim on one board shows on the others within a second. */
export const LIVE_INTERVAL_MS = 500;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export class LiveReads {
  private readonly running = new Map<string, Running>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly intervalMs = LIVE_INTERVAL_MS) {
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
      running = { listeners: new Set() };
      this.running.set(key, running);
      void this.tick(key, running, watch);
    } else if (running.last) {
      res.write(`event: view\ndata: ${running.last}\n\n`);
    }
    running.listeners.add(res);
    req.on('close', () => {
      running.listeners.delete(res);
      if (running.listeners.size === 0) this.stop(key, running);
    });
  }

  /** Ends every stream, as the server stops. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const [key, running] of this.running) {
      for (const res of running.listeners) res.end();
      this.stop(key, running);
    }
  }

  private async tick<T>(key: string, running: Running, watch: Watch<T>): Promise<void> {
    if (this.running.get(key) !== running) return;
    let ended = false;
    try {
      const value = await watch.read();
      const text = JSON.stringify(value);
      if (text !== running.last) {
        running.last = text;
        this.broadcast(running, `event: view\ndata: ${text}\n\n`);
      }
      ended = watch.final?.(value) ?? false;
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
    if (this.running.get(key) === running) running.timer = setTimeout(() => void this.tick(key, running, watch), this.intervalMs);
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
