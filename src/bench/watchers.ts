// Pages that follow orders which do not move, as a shop's customers leave tabs open: what they
// cost the API and Temporal while nothing changes, as a share of one core.

/** How long the idle streams are measured, after they have settled. */
const WINDOW_MS = 10_000;
const SETTLE_MS = 2_000;

export interface IdleWatchers {
  watchers: number;
  orders: number;
  /** The API's and the Temporal server's CPU with no stream open: the worker's polls, timers. */
  baselinePercentOfOneCore: number;
  /** The same while the streams stay open and nothing changes: what the streams add is the difference. */
  cpuPercentOfOneCore: number;
}

/**
 * Opens `watchers` live streams spread over the orders at `orderPaths`, waits until each has had
 * its first view, then measures `cpuSeconds` (the API's and the server's) over a quiet window.
 */
export async function idleWatchersCost(base: string, orderPaths: string[], watchers: number, cpuSeconds: () => number): Promise<IdleWatchers> {
  const closing = new AbortController();
  const percentOver = async (ms: number) => {
    const before = cpuSeconds();
    await new Promise((r) => setTimeout(r, ms));
    return Math.round(((cpuSeconds() - before) / (ms / 1000)) * 1000) / 10;
  };
  try {
    const baseline = await percentOver(WINDOW_MS);
    await Promise.all(Array.from({ length: watchers }, (_, i) => firstView(`${base}${orderPaths[i % orderPaths.length]}/events`, closing.signal)));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return { watchers, orders: orderPaths.length, baselinePercentOfOneCore: baseline, cpuPercentOfOneCore: await percentOver(WINDOW_MS) };
  } finally {
    closing.abort();
  }
}

/** Opens a stream and returns once its first view came; it stays open until `signal` aborts. */
async function firstView(url: string, signal: AbortSignal): Promise<void> {
  const res = await fetch(url, { signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: view')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${url} ended before its first view`);
    text += decoder.decode(value, { stream: true });
  }
  // Keep reading (and dropping) what comes, as a page would, until the stream is closed.
  void (async () => {
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return;
  })();
}
