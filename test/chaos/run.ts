// A chaos run: orders and coffee orders in flight through the API while workers are killed,
// the Temporal server and the API restarted; then the invariants, and a summary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { TemporalService } from '../../src/dev/temporal-cluster';
import { type Db, openDatabase } from '../../src/platform/db/database';
import { EventOutbox } from '../../src/services';
import { messageId } from '../../src/services/mail-relay';
import { NotificationOutbox } from '../../src/services/notification-outbox';
import { streamContents } from '../support/nats';
import { Cluster, type ClusterShape } from './cluster';
import { checkInvariants, type Verdict } from './invariants';
import { drive, openShop, placeOrders, type ShopDay } from './shop';

export interface ChaosPlan {
  orders: number;
  coffees: number;
  workerKills: number;
  serverRestarts: number;
  /** Outages during which the worker is killed and a new one started before the server is back. */
  workerStartsDuringOutage: number;
  apiRestarts: number;
  /** The mail relay SIGKILLed and started again. */
  relayKills: number;
  /** The event publisher SIGKILLed and started again. */
  publisherKills: number;
  /** nats-server SIGKILLed and started again on its store a second later. */
  natsRestarts: number;
  /** A slower gateway widens the windows in which a kill lands mid-activity. */
  gatewayLatencyMs?: number;
  /** Which Temporal, and how many API instances and workers: the dev server, one and one by default. */
  shape?: Omit<ClusterShape, 'gatewayLatencyMs'>;
  /** On the cluster: services SIGKILLed and started again a second later, each once. */
  serviceRestarts?: TemporalService[];
  /** Bounds the whole run: orders not settled by then are violations. */
  timeLimitMs: number;
}

export interface ChaosSummary {
  orders: number;
  coffees: number;
  workerKills: number;
  serverRestarts: number;
  workerStartsDuringOutage: number;
  serviceRestarts: number;
  apiRestarts: number;
  relayKills: number;
  publisherKills: number;
  natsRestarts: number;
  shape: Omit<ClusterShape, 'gatewayLatencyMs'>;
  /** Messages the mail server received, each once. */
  emails: number;
  /** Order events on the stream, each once. */
  events: number;
  invariantsChecked: number;
  /** HTTP answers the shop got, and the slowest of them. */
  answers: number;
  /** Of those, 503s: what the shop heard while something was down. */
  unavailableAnswers: number;
  slowestAnswerMs: number;
  /** Which request that was. */
  slowestAnswer: string;
  violations: string[];
  /** Workflows whose history was replayed after the run, as a worker without a cache would. */
  historiesReplayed: number;
  /** Histories that did not replay on the current code, with the error: any is a failure. */
  historiesNotReplaying: { workflowId: string; error: string }[];
  seconds: number;
}

/**
 * The longest the API may take to answer anything, whatever is broken: an action waits at most
 * 5 s for a worker to take it and 8 s for its outcome (then answers 202), a read on either side.
 */
const SLOWEST_ANSWER_MS = 20_000;

export async function runChaos(plan: ChaosPlan): Promise<ChaosSummary> {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-chaos-'));
  const shape = plan.shape ?? { temporal: 'dev-server', apis: 1, workers: 1 };
  const cluster = await Cluster.start(dataDir, { ...shape, gatewayLatencyMs: plan.gatewayLatencyMs ?? 0 });
  try {
    const day = await openShop(cluster, { orders: plan.orders, coffees: plan.coffees });
    const deadline = started + plan.timeLimitMs;
    let chaosDone = false;
    const chaos = breakThings(cluster, plan).finally(() => (chaosDone = true));
    await placeOrders(cluster, day);
    // Drive until every order has ended and every planned fault has happened, or time is up.
    while (Date.now() < deadline) {
      const unfinished = await drive(cluster, day);
      if (unfinished === 0 && chaosDone) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await chaos;
    const db = await openDatabase(cluster.businessDatabase);
    try {
      const verdict = await checkInvariants(db, day);
      const mail = await checkMail(db, cluster);
      verdict.checked += mail.checked;
      verdict.violations.push(...mail.violations);
      const events = await checkEvents(db, cluster, day);
      verdict.checked += events.checked;
      verdict.violations.push(...events.violations);
      verdict.violations.push(...cluster.answers.failures);
      if (cluster.answers.failures.length > 0) verdict.violations.push(...cluster.problems());
      if (cluster.answers.slowest.ms > SLOWEST_ANSWER_MS) verdict.violations.push(`${cluster.answers.slowest.what} took ${cluster.answers.slowest.ms} ms`);
      const unfinished = day.orders.filter((o) => o.status !== o.expect);
      for (const o of unfinished) verdict.violations.push(await cluster.diagnose(`${o.kind === 'order' ? 'order' : 'coffee'}-${o.id}`).catch(String));
      if (unfinished.length > 0) verdict.violations.push(...cluster.problems());
      const replay = await cluster.replayAll();
      return {
        orders: plan.orders,
        coffees: plan.coffees,
        ...cluster.counts,
        shape,
        emails: mail.emails,
        events: events.events,
        invariantsChecked: verdict.checked,
        answers: cluster.answers.count,
        unavailableAnswers: cluster.answers.byStatus.get(503) ?? 0,
        slowestAnswerMs: cluster.answers.slowest.ms,
        slowestAnswer: cluster.answers.slowest.what,
        violations: verdict.violations,
        historiesReplayed: replay.replayed,
        historiesNotReplaying: replay.failures,
        seconds: Math.round((Date.now() - started) / 1000),
      };
    } finally {
      await db.destroy();
    }
  } finally {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** How long the relay (and the publisher) may take to send what the orders queued, once they have ended. */
const MAIL_DRAIN_MS = 30_000;

/**
 * Every message the orders queued reached the mail server, each once: the outbox drains (nothing
 * pending, no dead letter), and the mail server holds exactly the outbox's Message-IDs.
 */
async function checkMail(db: Db, cluster: Cluster): Promise<Verdict & { emails: number }> {
  const outbox = new NotificationOutbox(db);
  const drainBy = Date.now() + MAIL_DRAIN_MS;
  while ((await outbox.counts()).PENDING > 0 && Date.now() < drainBy) await new Promise((r) => setTimeout(r, 250));
  const rows = await db.selectFrom('notifications').select(['id', 'idempotency_key', 'status']).execute();
  const expected = new Set(rows.map((r) => messageId(r.idempotency_key ?? r.id)));
  const received = await cluster.mailbox();
  const violations = [
    ...rows.filter((r) => r.status !== 'SENT').map((r) => `message ${r.id} is ${r.status}, not SENT`),
    ...[...expected].filter((id) => !received.includes(id)).map((id) => `message ${id} never reached the mail server`),
    ...received.filter((id) => !expected.has(id)).map((id) => `the mail server holds ${id}, which no order queued`),
    ...(received.length !== new Set(received).size ? [`the mail server holds ${received.length - new Set(received).size} messages twice`] : []),
  ];
  return { checked: rows.length * 2 + received.length + 1, violations, emails: received.length };
}

/**
 * Every status change of every order is on the stream once, in order: each order's events are
 * 1, 2, ... n with no gap, from RECEIVED to the status it ended in; the stream holds exactly the
 * outbox's events, none twice, each with its id as Nats-Msg-Id.
 */
async function checkEvents(db: Db, cluster: Cluster, day: ShopDay): Promise<Verdict & { events: number }> {
  const outbox = new EventOutbox(db);
  const drainBy = Date.now() + MAIL_DRAIN_MS;
  while ((await outbox.counts()).unpublished > 0 && Date.now() < drainBy) await new Promise((r) => setTimeout(r, 250));
  const violations: string[] = [];
  let checked = 0;
  const check = (ok: boolean, what: string) => {
    checked += 1;
    if (!ok) violations.push(what);
  };
  const { unpublished } = await outbox.counts();
  check(unpublished === 0, `${unpublished} events never published`);
  const streamed = await streamContents(cluster.natsUrl, 'SHOP_EVENTS');
  const ids = streamed.map((m) => m.event.eventId);
  check(new Set(ids).size === ids.length, `the stream holds ${ids.length - new Set(ids).size} events twice`);
  check(streamed.every((m) => m.msgId === m.event.eventId), 'an event on the stream without its id as Nats-Msg-Id');
  for (const o of day.orders) {
    const written = (await outbox.ofOrder(o.kind, o.id)).map((e) => e.event);
    const onStream = streamed.filter((m) => m.event.kind === o.kind && m.event.orderId === o.id).map((m) => m.event);
    check(onStream.map((e) => e.sequence).join() === written.map((_, i) => i + 1).join(), `${o.id}: events ${onStream.map((e) => e.sequence).join()} on the stream, ${written.length} written`);
    check(onStream[0]?.status === 'RECEIVED' && onStream.at(-1)?.status === o.status, `${o.id}: events from ${onStream[0]?.status} to ${onStream.at(-1)?.status}, ended ${o.status}`);
  }
  return { checked, violations, events: streamed.length };
}

/** The planned faults, one after another at random moments 1-4 s apart, in a shuffled order. */
async function breakThings(cluster: Cluster, plan: ChaosPlan): Promise<void> {
  const faults = [
    ...Array<() => Promise<void>>(plan.workerKills).fill(() => cluster.killWorker()),
    ...Array<() => Promise<void>>(plan.serverRestarts).fill(() => cluster.restartTemporal(1000)),
    ...Array<() => Promise<void>>(plan.workerStartsDuringOutage).fill(() => cluster.startWorkerDuringOutage(3000)),
    ...Array<() => Promise<void>>(plan.apiRestarts).fill(() => cluster.restartApi()),
    ...(plan.serviceRestarts ?? []).map((service) => () => cluster.restartTemporalService(service)),
    ...Array<() => Promise<void>>(plan.relayKills).fill(() => cluster.killRelay()),
    ...Array<() => Promise<void>>(plan.publisherKills).fill(() => cluster.killPublisher()),
    ...Array<() => Promise<void>>(plan.natsRestarts).fill(() => cluster.restartNats(1000)),
  ].sort(() => Math.random() - 0.5);
  for (const fault of faults) {
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 3000));
    await fault();
  }
}

export function summaryTable(s: ChaosSummary): string {
  const rows: [string, string | number][] = [
    ['Temporal', s.shape.temporal],
    ['API instances, workers', `${s.shape.apis}, ${s.shape.workers}`],
    ['orders', s.orders],
    ['coffee orders', s.coffees],
    ['worker kills (SIGKILL)', s.workerKills],
    ['Temporal server restarts', s.serverRestarts],
    ['  worker started while it was down', s.workerStartsDuringOutage],
    ['Temporal services killed (SIGKILL), restarted', s.serviceRestarts],
    ['API restarts', s.apiRestarts],
    ['mail relay kills (SIGKILL)', s.relayKills],
    ['emails received', s.emails],
    ['event publisher kills (SIGKILL)', s.publisherKills],
    ['NATS restarts (SIGKILL)', s.natsRestarts],
    ['events on the stream', s.events],
    ['invariants checked', s.invariantsChecked],
    ['HTTP answers', s.answers],
    ['  503 (with Retry-After)', s.unavailableAnswers],
    ['  slowest (ms)', s.slowestAnswerMs],
    [`    ${s.slowestAnswer}`, ''],
    ['violations', s.violations.length],
    ['histories replayed', s.historiesReplayed],
    ['  of which do not replay', s.historiesNotReplaying.length],
    ['seconds', s.seconds],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['chaos run', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${String(v).padStart(6)}`), ...s.violations.map((v) => `  ! ${v}`), ...s.historiesNotReplaying.map((h) => `  ~ ${h.workflowId} does not replay: ${h.error.slice(0, 300)}`)].join('\n');
}

/** What every chaos run must end with: its summary printed, no violation, and every workflow's history replayed on the current code. */
export function expectCleanRun(summary: ChaosSummary, workflows: number): void {
  console.log(summaryTable(summary));
  expect(summary.violations).toEqual([]);
  expect(summary.historiesReplayed).toBe(workflows);
  expect(summary.historiesNotReplaying).toEqual([]);
}
