// What waiting reads last read of each order, kept while nothing noticed since says otherwise: a
// client that asks again right after an answer (as it should) then costs no read until the next change.

/** How many orders' last values are kept (about 2 KB each). */
const RECENT_LIMIT = 10_000;

/** `Notice`: what a change is noticed as (./live.ts: an order's new status). */
export class RecentValues<Notice> {
  /** By key, the newest RECENT_LIMIT: the value, when it was read, and a notice it has yet to show. */
  private readonly values = new Map<string, { value: unknown; at: number; awaiting?: Notice }>();

  /** The value last read for `key`, if no notice came since that it does not show, and it is younger than `maxAgeMs`. */
  get(key: string, maxAgeMs: number): unknown {
    const recent = this.values.get(key);
    if (!recent || recent.awaiting || Date.now() - recent.at >= maxAgeMs) return undefined;
    return recent.value;
  }

  /** The order behind `key` changed: what was kept no longer serves until a read shows the change. */
  noticed(key: string, change: Notice): void {
    const recent = this.values.get(key);
    if (recent) recent.awaiting = change;
  }

  /** Keeps a value read, unless a notice came (during the read, or before it) that it does not show. */
  keep<T>(key: string, value: T, shows: (value: T, notice: Notice) => boolean): void {
    const awaiting = this.values.get(key)?.awaiting;
    if (awaiting && !shows(value, awaiting)) return;
    this.values.delete(key);
    this.values.set(key, { value, at: Date.now() });
    if (this.values.size > RECENT_LIMIT) this.values.delete(this.values.keys().next().value!);
  }
}
