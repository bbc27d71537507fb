// The system as separate processes on loopback, for chaos: Temporal (the dev server on its
// SQLite file, or a real cluster on PostgreSQL), API instances and workers from dist/ sharing one
// business database (a SQLite file, or PostgreSQL beside the cluster's); Mailpit and the mail
// relay; nats-server with JetStream and the event publisher.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { stopChild } from '../../src/dev/child-process';
import { startMailpit } from '../../src/dev/mailpit';
import { startNatsServer } from '../../src/dev/nats';
import type { TemporalService } from '../../src/dev/temporal-cluster';
import { workflowSinks } from '../../src/main/shop-worker';
import type { DatabaseOptions } from '../../src/platform/db/database';
import { temporalTarget } from '../../src/platform/temporal/connection';
import { type Answer, HttpClient, type RequestOptions } from '../api/helpers';
import { freePort, type Spawned, spawnNode, waitForOutput } from '../support/processes';
import { testCodec } from '../support/secrets';
import { waitFor } from '../support/wait';
import { type ChaosTemporal, startChaosTemporal } from './temporal';

export interface ClusterShape {
  /** The dev server (one process) or a real cluster (four services on PostgreSQL, mTLS). */
  temporal: 'dev-server' | 'cluster';
  apis: number;
  workers: number;
  gatewayLatencyMs: number;
}

export class Cluster {
  private readonly apis: Spawned[] = [];
  private earlierApiOutput = '';
  private readonly workers: Spawned[] = [];
  private earlierWorkerOutput = '';
  private mailpit?: ChildProcess;
  private relay?: Spawned;
  private nats?: ChildProcess;
  private publisher?: Spawned;
  http!: WatchedHttp;
  readonly counts = { workerKills: 0, serverRestarts: 0, serviceRestarts: 0, workerStartsDuringOutage: 0, apiRestarts: 0, relayKills: 0, publisherKills: 0, natsRestarts: 0 };
  /** Every answer the API gave the shop, whichever API process gave it. */
  readonly answers = new AnswerLog();

  private constructor(
    readonly dataDir: string,
    private readonly temporal: ChaosTemporal,
    private readonly env: Record<string, string>,
    private readonly apiPorts: number[],
  ) {}

  static async start(dataDir: string, shape: ClusterShape): Promise<Cluster> {
    const [uiPort, smtpPort, mailpitPort, natsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const apiPorts: number[] = [];
    for (let i = 0; i < shape.apis; i++) apiPorts.push(await freePort());
    const temporal = await startChaosTemporal(shape.temporal, dataDir);
    const env = {
      ...temporal.env,
      TEMPORAL_UI_URL: `http://localhost:${uiPort}`,
      DATA_DIR: dataDir,
      WORKER_METRICS_PORT: '0',
      // The reconciliation's Schedule would start a workflow of its own on the run's queue every 15 minutes.
      RECONCILE_EVERY_MINUTES: '0',
      LOG_LEVEL: 'warn',
      SIMULATED_GATEWAY_LATENCY_MS: String(shape.gatewayLatencyMs),
      // One test client plays every customer.
      RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAILPIT_UI_URL: `http://127.0.0.1:${mailpitPort}`,
      // A killed relay's message is taken again soon.
      MAIL_LEASE_SECONDS: '2',
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
    };
    const cluster = new Cluster(dataDir, temporal, env, apiPorts);
    cluster.http = new WatchedHttp(apiPorts.map((port) => `http://127.0.0.1:${port}`), cluster.answers);
    for (let i = 0; i < shape.workers; i++) await cluster.startWorker(i);
    for (let i = 0; i < shape.apis; i++) await cluster.startApi(i);
    cluster.mailpit = await startMailpit({ smtpPort, httpPort: mailpitPort, quiet: true, maxMessages: 0 });
    cluster.startRelay();
    await cluster.startNats();
    cluster.startPublisher();
    return cluster;
  }

  private async startNats(): Promise<void> {
    this.nats = await startNatsServer({ port: Number(new URL(this.env.NATS_URL!).port), storeDir: path.join(this.dataDir, 'nats'), quiet: true });
  }

  private startPublisher(): void {
    this.publisher = spawnNode('main/publisher.js', this.env);
  }

  /** SIGKILL: an event on the stream may not be marked published yet, and is published again. */
  async killPublisher(): Promise<void> {
    await stopChild(this.publisher?.child, 'SIGKILL');
    this.counts.publisherKills += 1;
    this.startPublisher();
  }

  /** NATS SIGKILLed, down for a while, and started again on its store: the publisher rides it out. */
  async restartNats(downMs: number): Promise<void> {
    await stopChild(this.nats, 'SIGKILL');
    await new Promise((r) => setTimeout(r, downMs));
    await this.startNats();
    this.counts.natsRestarts += 1;
  }

  get natsUrl(): string {
    return this.env.NATS_URL!;
  }

  private startRelay(): void {
    this.relay = spawnNode('main/mailer.js', this.env);
  }

  /** SIGKILL: a message being sent may have reached the mail server without being marked sent. */
  async killRelay(): Promise<void> {
    await stopChild(this.relay?.child, 'SIGKILL');
    this.counts.relayKills += 1;
    this.startRelay();
  }

  /** The Message-IDs of every message the mail server holds, one entry per message. */
  async mailbox(): Promise<string[]> {
    const res = await fetch(`${this.env.MAILPIT_UI_URL}/api/v1/messages?limit=100000`);
    const body = await res.text();
    const listed = (res.ok ? JSON.parse(body) : {}) as { messages?: { MessageID: string }[] };
    if (!listed.messages) throw new Error(`the mail server did not list its messages (mailpit ${this.mailpit?.exitCode === null ? 'running' : `exited with ${this.mailpit?.exitCode}`}): ${res.status} ${body.slice(0, 200)}`);
    return listed.messages.map((m) => `<${m.MessageID}>`);
  }

  /** Where the shop's processes keep the business data: the PostgreSQL beside the cluster, else a SQLite file. */
  get businessDatabase(): DatabaseOptions {
    return this.env.DATABASE_URL ? { url: this.env.DATABASE_URL } : { filename: path.join(this.dataDir, 'business.db') };
  }

  private async startWorker(index: number): Promise<void> {
    this.workers[index] = spawnNode('main/worker.js', { ...this.env, LOG_LEVEL: 'info' });
    await waitForOutput(this.workers[index]!, /worker polling/);
  }

  private async startApi(index: number): Promise<void> {
    const api = spawnNode('main/api.js', { ...this.env, PORT: String(this.apiPorts[index]) });
    this.apis[index] = api;
    const http = new HttpClient(`http://127.0.0.1:${this.apiPorts[index]}`);
    const health = await waitFor(() => http.get('/healthz').catch(() => undefined), (answer) => answer?.status === 200 || api.child.exitCode !== null, { what: 'the API', show: () => api.output() });
    if (health?.status !== 200) throw new Error(`the API did not come up:\n${api.output()}`);
  }

  /** SIGKILL: no draining, activities in flight are lost mid-way; a new worker takes its place. */
  async killWorker(): Promise<void> {
    const index = this.counts.workerKills % this.workers.length;
    await stopChild(this.workers[index]?.child, 'SIGKILL');
    this.earlierWorkerOutput += this.workers[index]?.output() ?? '';
    this.counts.workerKills += 1;
    await this.startWorker(index);
  }

  /** The whole Temporal server (the dev server; the cluster's frontend) stops and starts again on what it stored. */
  async restartTemporal(downMs: number): Promise<void> {
    await this.temporal.restart(downMs);
    this.counts.serverRestarts += 1;
  }

  /** One of the cluster's services SIGKILLed and started again a second later. */
  async restartTemporalService(service: TemporalService): Promise<void> {
    await this.temporal.restartService(service);
    this.counts.serviceRestarts += 1;
  }

  /**
   * Temporal goes away, a worker is killed, and a new worker starts while the server is still
   * down: it must wait for the server (not exit), then poll once it is back.
   */
  async startWorkerDuringOutage(downMs: number): Promise<void> {
    await this.temporal.down();
    await stopChild(this.workers[0]?.child, 'SIGKILL');
    this.earlierWorkerOutput += this.workers[0]?.output() ?? '';
    this.workers[0] = spawnNode('main/worker.js', { ...this.env, LOG_LEVEL: 'info' });
    await waitForOutput(this.workers[0], /waiting for Temporal/);
    await new Promise((r) => setTimeout(r, downMs));
    await this.temporal.up();
    await waitForOutput(this.workers[0], /worker polling/);
    this.counts.workerStartsDuringOutage += 1;
  }

  /** An API instance SIGKILLed and started again; the others keep answering. */
  async restartApi(): Promise<void> {
    const index = this.counts.apiRestarts % this.apis.length;
    await stopChild(this.apis[index]?.child, 'SIGKILL');
    this.earlierApiOutput += this.apis[index]?.output() ?? '';
    await this.startApi(index);
    this.counts.apiRestarts += 1;
  }

  /** The last lines the API and worker processes (every one of them) wrote that mention a problem, and Temporal's errors: for a failed run's report. */
  problems(): string[] {
    const interesting = (text: string) => text.split('\n').filter((l) => /error|fail|nondetermin|warn/i.test(l)).slice(-6);
    const api = this.earlierApiOutput + this.apis.map((a) => a.output()).join('');
    const workers = this.earlierWorkerOutput + this.workers.map((w) => w.output()).join('');
    return [...interesting(api).map((l) => `api: ${l.slice(0, 400)}`), ...interesting(workers).map((l) => `worker: ${l.slice(0, 400)}`), ...this.temporal.problems()];
  }

  private connect(): Promise<Connection> {
    return Connection.connect(temporalTarget(this.env).connection);
  }

  /** What the server knows of a workflow that did not end: for the report of a failed run. */
  async diagnose(workflowId: string): Promise<string> {
    const connection = await this.connect();
    try {
      const handle = new Client({ connection, dataConverter: { payloadCodecs: [testCodec] } }).workflow.getHandle(workflowId);
      const { raw, status } = await handle.describe();
      const events = (await handle.fetchHistory()).events ?? [];
      const tail = events.slice(-12).map((e) => Object.keys(e).find((k) => k.endsWith('Attributes'))?.replace('EventAttributes', ''));
      const pending = (raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} attempt ${a.attempt}`);
      const history = await handle.fetchHistory();
      const kept = path.join(os.tmpdir(), `chaos-${workflowId}.json`);
      fs.writeFileSync(kept, historyToJSON(history));
      const replay = await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: workflowSinks(), dataConverter: { payloadCodecs: [testCodec] } }, history).then(
        () => 'replays',
        (err: unknown) => `replay fails: ${String(err)}`,
      );
      return `${workflowId}: ${status.name}, ${events.length} events, pending [${pending.join(', ')}], ${replay} (history in ${kept}), last: ${tail.join(' → ')}`;
    } finally {
      await connection.close();
    }
  }

  /**
   * Replays the history of every workflow the run made, as a worker that lost its cache would:
   * on the bundle the run's workers ran (the plain one from dist/), and on the one with the
   * tracing interceptors, as a worker would once traces are switched on. Answers how many were
   * replayed and each one that did not replay on either; their histories are kept in the temp folder.
   */
  async replayAll(): Promise<{ replayed: number; failures: { workflowId: string; error: string }[] }> {
    const connection = await this.connect();
    try {
      const histories: HistoryAndWorkflowId[] = [];
      for await (const history of new Client({ connection, dataConverter: { payloadCodecs: [testCodec] } }).workflow.list().intoHistories()) histories.push(history);
      const failures = [];
      const bundles = { plain: path.join(__dirname, '..', '..', 'dist', 'workflow-bundle.js'), traced: inject('workflowBundlePath') };
      for (const [bundle, codePath] of Object.entries(bundles)) {
        for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath }, sinks: workflowSinks(), dataConverter: { payloadCodecs: [testCodec] } }, histories)) {
          if (!result.error) continue;
          failures.push({ workflowId: result.workflowId, error: `on the ${bundle} bundle: ${String(result.error)}` });
          const kept = histories.find((h) => h.workflowId === result.workflowId);
          if (kept?.history) fs.writeFileSync(path.join(os.tmpdir(), `chaos-${result.workflowId}.json`), historyToJSON(kept.history));
        }
      }
      return { replayed: histories.length, failures };
    } finally {
      await connection.close();
    }
  }

  async stop(): Promise<void> {
    await stopChild(this.relay?.child, 'SIGTERM');
    await stopChild(this.mailpit, 'SIGTERM');
    await stopChild(this.publisher?.child, 'SIGTERM');
    await stopChild(this.nats, 'SIGTERM');
    for (const api of this.apis) await stopChild(api.child, 'SIGTERM');
    for (const worker of this.workers) await stopChild(worker.child, 'SIGTERM');
    await this.temporal.stop();
  }
}

/** What the API answered during the run: a 500 or a hang is a violation, whatever was broken. */
export class AnswerLog {
  count = 0;
  byStatus = new Map<number, number>();
  slowest = { ms: 0, what: '' };
  failures: string[] = [];

  note(what: string, answer: Answer, ms: number): void {
    this.count += 1;
    this.byStatus.set(answer.status, (this.byStatus.get(answer.status) ?? 0) + 1);
    if (ms > this.slowest.ms) this.slowest = { ms, what };
    if (answer.status >= 500 && answer.status !== 503) this.failures.push(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    if (answer.status === 503 && !answer.retryAfter) this.failures.push(`${what} answered 503 without Retry-After`);
  }
}

/**
 * The shop's HTTP client, noting every answer and how long it took. With several API instances it
 * sends each request to the next one in turn, as a load balancer would.
 */
class WatchedHttp extends HttpClient {
  private readonly instances: HttpClient[];
  private next = 0;

  constructor(
    baseUrls: string[],
    private readonly log: AnswerLog,
  ) {
    super(baseUrls[0]!);
    this.instances = baseUrls.map((url) => new HttpClient(url));
  }

  override async send(method: string, path: string, options?: RequestOptions): Promise<Answer> {
    const instance = this.instances[this.next++ % this.instances.length]!;
    const started = Date.now();
    const answer = await instance.send(method, path, options);
    this.log.note(`${method} ${path}`, answer, Date.now() - started);
    return answer;
  }
}
