// The one way tests wait for something that happens elsewhere: read, check, and read again every
// 100 ms until it holds or the time is up, then fail saying what was awaited and what was last seen.

export interface WaitOptions {
  /** What is awaited, for the failure's message. */
  what: string;
  timeoutMs?: number;
  /** How the last reading shows in the failure (default: as JSON). */
  show?: (last: unknown) => string;
}

/** Reads until `until` holds of a reading, and returns that reading. */
export async function waitFor<T>(read: () => T | Promise<T>, until: (value: T) => boolean, { what, timeoutMs = 30_000, show = (v) => JSON.stringify(v) }: WaitOptions): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (until(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${show(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
