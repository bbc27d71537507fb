// The API's Prometheus metrics: its own requests, and the business as a whole, read at scrape
// time from Temporal's visibility and the business database, so every API instance reports the
// same figures however many workers and APIs run.
import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../platform/db/database';
import type { LiveReads } from '../platform/http/live';
import { EventOutbox } from '../services/event-outbox';
import { NotificationOutbox } from '../services/notification-outbox';
import { type WorkflowKind } from '../shop/workflow-kind';
import { workflowKinds } from './kinds';

export interface ApiMetrics {
  registry: Registry;
  /** Counts a workflow this API instance started (repeats of an Idempotency-Key excluded). */
  started: (workflow: WorkflowKind['name']) => void;
  /** Times and counts every request, by route pattern rather than by URL. */
  middleware: RequestHandler;
}

interface Sources {
  client: Client;
  db: Db;
  taskQueue: string;
}

export function createApiMetrics(sources: Sources): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const started = new Counter({ name: 'fulfillment_workflows_started_total', help: 'Orders and coffee orders this API started', labelNames: ['workflow'], registers: [registry] });

  new Gauge({
    name: 'fulfillment_orders',
    help: 'Orders and coffee orders by status (completed, failed, cancelled... are the endings so far)',
    labelNames: ['workflow', 'status'],
    registers: [registry],
    async collect() {
      // While Temporal is away the scrape still answers (with the HTTP figures) within seconds;
      // these keep their last values. Every count is let finish, so none is left retrying.
      const settled = await sources.client.withDeadline(Date.now() + VISIBILITY_DEADLINE_MS, () =>
        Promise.allSettled(workflowKinds.flatMap((kind) => kind.statuses.map(async (status) => ({ kind, status, n: await countByStatus(sources, kind, status) })))),
      );
      const counts = settled.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
      for (const { kind, status, n } of counts) this.set({ workflow: kind.name, status }, n);
    },
  });

  new Gauge({
    name: 'fulfillment_compensations',
    help: 'Compensations that have run, read from the business records they changed',
    labelNames: ['compensation'],
    registers: [registry],
    async collect() {
      for (const [compensation, n] of Object.entries(await compensationCounts(sources.db))) this.set({ compensation }, n);
    },
  });

  new Gauge({
    name: 'fulfillment_outbox_messages',
    help: 'Messages in the outbox by status: PENDING (not sent yet), SENT, FAILED (dead letters, for staff)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      for (const [status, n] of Object.entries(await new NotificationOutbox(sources.db).counts())) this.set({ status }, n);
    },
  });

  new Gauge({
    name: 'fulfillment_order_events',
    help: 'Order events in the events outbox: published (on the NATS stream) or unpublished (waiting; a growing number means the publisher or NATS is away)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, n] of Object.entries(await new EventOutbox(sources.db).counts())) this.set({ state }, n);
    },
  });

  return {
    registry,
    started: (workflow) => started.inc({ workflow }),
    middleware: (req, res, next) => {
      const stop = latency.startTimer({ method: req.method });
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
        stop({ route });
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
  };
}

/** What the live streams cost Temporal: each is one read of an order's view or of the board. */
export function countLiveReads(registry: Registry, live: Pick<LiveReads, 'reads'>): void {
  new Counter({
    name: 'api_live_reads_total',
    help: 'Reads of Temporal for live streams and reads that wait for a change (an order, or the barista board): one per change, plus one per stream or wait',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(live.reads);
    },
  });
}

/** How long a scrape waits for Temporal's visibility counts. */
const VISIBILITY_DEADLINE_MS = 2000;

async function countByStatus(sources: Sources, kind: WorkflowKind, status: string): Promise<number> {
  const query = `WorkflowType = '${kind.workflowType}' AND TaskQueue = '${sources.taskQueue}' AND ${kind.statusAttribute.name} = '${status}'`;
  return (await sources.client.workflow.count(query)).count;
}

async function compensationCounts(db: Db): Promise<Record<string, number>> {
  const count = async (table: 'reservations' | 'payments' | 'shipments', status: string) => {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(sql.ref('status'), '=', status).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const [released, voided, refunded, cancelled] = await Promise.all([
    count('reservations', 'RELEASED'),
    count('payments', 'VOIDED'),
    count('payments', 'REFUNDED'),
    count('shipments', 'CANCELLED'),
  ]);
  return { releaseStock: released, voidAuthorization: voided, refundPayment: refunded, cancelShipment: cancelled };
}
