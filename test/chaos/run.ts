// A chaos run: orders and coffee orders in flight through the API while workers are killed,
// the Temporal server and the API restarted; then the invariants, and a summary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { Cluster } from './cluster';
import { checkInvariants } from './invariants';
import { drive, openShop, placeOrders } from './shop';

export interface ChaosPlan {
  orders: number;
  coffees: number;
  workerKills: number;
  serverRestarts: number;
  /** Outages during which the worker is killed and a new one started before the server is back. */
  workerStartsDuringOutage: number;
  apiRestarts: number;
  /** A slower gateway widens the windows in which a kill lands mid-activity. */
  gatewayLatencyMs?: number;
  /** Bounds the whole run: orders not settled by then are violations. */
  timeLimitMs: number;
}

export interface ChaosSummary {
  orders: number;
  coffees: number;
  workerKills: number;
  serverRestarts: number;
  workerStartsDuringOutage: number;
  apiRestarts: number;
  invariantsChecked: number;
  /** HTTP answers the shop got, and the slowest of them. */
  answers: number;
  /** Of those, 503s: what the shop heard while something was down. */
  unavailableAnswers: number;
  slowestAnswerMs: number;
  violations: string[];
  /** Workflows whose history was replayed after the run, as a worker without a cache would. */
  historiesReplayed: number;
  /** Histories that did not replay on the current code, with the error: any is a failure. */
  historiesNotReplaying: { workflowId: string; error: string }[];
  seconds: number;
}

/**
 * The longest the API may take to answer anything, whatever is broken: an action waits at most
 * 5 s for a worker to take it and 10 s for its outcome (then answers 202).
 */
const SLOWEST_ANSWER_MS = 20_000;

export async function runChaos(plan: ChaosPlan): Promise<ChaosSummary> {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-chaos-'));
  const cluster = await Cluster.start(dataDir, plan.gatewayLatencyMs);
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
    const db = await openDatabase({ filename: cluster.businessDatabase });
    try {
      const verdict = await checkInvariants(db, day);
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
        invariantsChecked: verdict.checked,
        answers: cluster.answers.count,
        unavailableAnswers: cluster.answers.byStatus.get(503) ?? 0,
        slowestAnswerMs: cluster.answers.slowest.ms,
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

/** The planned faults, one after another at random moments 1-4 s apart, in a shuffled order. */
async function breakThings(cluster: Cluster, plan: ChaosPlan): Promise<void> {
  const faults = [
    ...Array<() => Promise<void>>(plan.workerKills).fill(() => cluster.killWorker()),
    ...Array<() => Promise<void>>(plan.serverRestarts).fill(() => cluster.restartTemporal(1000)),
    ...Array<() => Promise<void>>(plan.workerStartsDuringOutage).fill(() => cluster.startWorkerDuringOutage(3000)),
    ...Array<() => Promise<void>>(plan.apiRestarts).fill(() => cluster.restartApi()),
  ].sort(() => Math.random() - 0.5);
  for (const fault of faults) {
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 3000));
    await fault();
  }
}

export function summaryTable(s: ChaosSummary): string {
  const rows: [string, string | number][] = [
    ['orders', s.orders],
    ['coffee orders', s.coffees],
    ['worker kills (SIGKILL)', s.workerKills],
    ['Temporal server restarts', s.serverRestarts],
    ['  worker started while it was down', s.workerStartsDuringOutage],
    ['API restarts', s.apiRestarts],
    ['invariants checked', s.invariantsChecked],
    ['HTTP answers', s.answers],
    ['  503 (with Retry-After)', s.unavailableAnswers],
    ['  slowest (ms)', s.slowestAnswerMs],
    ['violations', s.violations.length],
    ['histories replayed', s.historiesReplayed],
    ['  of which do not replay', s.historiesNotReplaying.length],
    ['seconds', s.seconds],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['chaos run', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${String(v).padStart(6)}`), ...s.violations.map((v) => `  ! ${v}`), ...s.historiesNotReplaying.map((h) => `  ~ ${h.workflowId} does not replay: ${h.error.slice(0, 300)}`)].join('\n');
}
