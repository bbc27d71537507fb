// How the API learns that an order changed: the events outbox, which every workflow writes at
// each status change, read by position a few times a second (one small query, however many pages
// watch). An event is written inside a workflow task that may not have completed yet, so it is a
// reason to read the order again, never what the reader shows: that is always Temporal's.
import type { LiveReads } from '../platform/http/live';
import type { EventOutbox } from '../services';
import type { WorkflowKind } from '../shop/workflow-kind';

/** How often the outbox is asked what changed: a change reaches a page within about this. */
const FEED_INTERVAL_MS = 200;
/** Events taken per ask: a burst larger than this is taken over the next asks. */
const BATCH = 500;

export class ChangeFeed {
  private cursor?: number;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly outbox: EventOutbox,
    private readonly live: LiveReads,
    private readonly kinds: readonly WorkflowKind[],
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(): this {
    void this.poll();
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    try {
      // From now on: what changed before the API started, its first reads show.
      this.cursor ??= await this.outbox.lastPosition();
      for (const change of await this.outbox.changedSince(this.cursor, BATCH)) {
        this.cursor = change.position;
        const kind = this.kinds.find((k) => k.name === change.kind);
        if (kind) this.live.notice(kind.name, kind.workflowId(change.orderId), { orderId: change.orderId, status: change.status });
      }
    } catch (err) {
      // The database is away: the pages fall back on their idle reads until it is back.
      this.onError(err);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), FEED_INTERVAL_MS).unref();
  }
}
