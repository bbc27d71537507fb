// The system as separate processes on loopback, for chaos: a Temporal dev server persisted to
// its SQLite file, the API and a worker from dist/, sharing one business database file; Mailpit
// and the mail relay; nats-server with JetStream and the event publisher.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { workflowSinks } from '../../src/workers/worker';
import { startDevServer, waitForTemporal } from '../../src/dev/dev-server';
import { startMailpit } from '../../src/dev/mailpit';
import { startNatsServer } from '../../src/dev/nats';
import { findTemporalCli } from '../../src/dev/temporal-cli';
import { type Answer, HttpClient, type RequestOptions } from '../api/helpers';
import { freePort, type Spawned, spawnNode, waitForOutput } from '../support/processes';
import { testCodec } from '../support/secrets';

export class Cluster {
  private temporal?: ChildProcess;
  private api?: Spawned;
  private earlierApiOutput = '';
  private worker?: Spawned;
  private mailpit?: ChildProcess;
  private relay?: Spawned;
  private nats?: ChildProcess;
  private publisher?: Spawned;
  http!: WatchedHttp;
  readonly counts = { workerKills: 0, serverRestarts: 0, workerStartsDuringOutage: 0, apiRestarts: 0, relayKills: 0, publisherKills: 0, natsRestarts: 0 };
  /** Every answer the API gave the shop, whichever API process gave it. */
  readonly answers = new AnswerLog();

  private constructor(
    readonly dataDir: string,
    private readonly cliPath: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(dataDir: string, gatewayLatencyMs = 0): Promise<Cluster> {
    const cliPath = await findTemporalCli();
    if (!cliPath) throw new Error('no temporal CLI');
    const [apiPort, temporalPort, uiPort, smtpPort, mailpitPort, natsPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const env = {
      PORT: String(apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_UI_URL: `http://localhost:${uiPort}`,
      DATA_DIR: dataDir,
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      SIMULATED_GATEWAY_LATENCY_MS: String(gatewayLatencyMs),
      // One test client plays every customer.
      RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAILPIT_UI_URL: `http://127.0.0.1:${mailpitPort}`,
      // A killed relay's message is taken again soon.
      MAIL_LEASE_SECONDS: '2',
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
    };
    const cluster = new Cluster(dataDir, cliPath, env);
    await cluster.startTemporal();
    await cluster.startWorker();
    await cluster.startApi();
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
    this.publisher = spawnNode('events/main.js', this.env);
  }

  /** SIGKILL: an event on the stream may not be marked published yet, and is published again. */
  async killPublisher(): Promise<void> {
    await kill(this.publisher?.child, 'SIGKILL');
    this.counts.publisherKills += 1;
    this.startPublisher();
  }

  /** NATS SIGKILLed, down for a while, and started again on its store: the publisher rides it out. */
  async restartNats(downMs: number): Promise<void> {
    await kill(this.nats, 'SIGKILL');
    await new Promise((r) => setTimeout(r, downMs));
    await this.startNats();
    this.counts.natsRestarts += 1;
  }

  get natsUrl(): string {
    return this.env.NATS_URL!;
  }

  private startRelay(): void {
    this.relay = spawnNode('mail/main.js', this.env);
  }

  /** SIGKILL: a message being sent may have reached the mail server without being marked sent. */
  async killRelay(): Promise<void> {
    await kill(this.relay?.child, 'SIGKILL');
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

  get businessDatabase(): string {
    return path.join(this.dataDir, 'business.db');
  }

  async startTemporal(): Promise<void> {
    const uiPort = Number(new URL(this.env.TEMPORAL_UI_URL!).port);
    this.temporal = startDevServer({ cliPath: this.cliPath, dataDir: this.dataDir, address: this.env.TEMPORAL_ADDRESS!, uiPort, ownProcessGroup: true, quiet: true });
    await waitForTemporal(this.env.TEMPORAL_ADDRESS!, 60_000);
  }

  async startWorker(): Promise<void> {
    this.worker = spawnNode('workers/main.js', { ...this.env, LOG_LEVEL: 'info' });
    await waitForOutput(this.worker, /worker polling/);
  }

  async startApi(): Promise<void> {
    this.api = spawnNode('api/main.js', this.env);
    this.http = new WatchedHttp(`http://127.0.0.1:${this.env.PORT}`, this.answers);
    const deadline = Date.now() + 30_000;
    while ((await this.http.get('/healthz').catch(() => undefined))?.status !== 200) {
      if (Date.now() > deadline || this.api.child.exitCode !== null) throw new Error(`the API did not come up:\n${this.api.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: no draining, activities in flight are lost mid-way; a new worker takes over. */
  async killWorker(): Promise<void> {
    await kill(this.worker?.child, 'SIGKILL');
    this.counts.workerKills += 1;
    await this.startWorker();
  }

  /** The Temporal server stops and starts again on its SQLite file. */
  async restartTemporal(downMs: number): Promise<void> {
    await kill(this.temporal, 'SIGTERM');
    await new Promise((r) => setTimeout(r, downMs));
    await this.startTemporal();
    this.counts.serverRestarts += 1;
  }

  /**
   * Temporal goes away, the worker is killed, and a new worker starts while the server is still
   * down: it must wait for the server (not exit), then poll once it is back.
   */
  async startWorkerDuringOutage(downMs: number): Promise<void> {
    await kill(this.temporal, 'SIGTERM');
    await kill(this.worker?.child, 'SIGKILL');
    this.worker = spawnNode('workers/main.js', { ...this.env, LOG_LEVEL: 'info' });
    await waitForOutput(this.worker, /waiting for Temporal/);
    await new Promise((r) => setTimeout(r, downMs));
    await this.startTemporal();
    await waitForOutput(this.worker, /worker polling/);
    this.counts.workerStartsDuringOutage += 1;
  }

  async restartApi(): Promise<void> {
    await kill(this.api?.child, 'SIGKILL');
    this.earlierApiOutput += this.api?.output() ?? '';
    await this.startApi();
    this.counts.apiRestarts += 1;
  }

  /** The last lines the API (every process of it) and the worker wrote that mention a problem: for a failed run's report. */
  problems(): string[] {
    const interesting = (text: string) => text.split('\n').filter((l) => /error|fail|nondetermin|warn/i.test(l)).slice(-6);
    const api = this.earlierApiOutput + (this.api?.output() ?? '');
    return [...interesting(api).map((l) => `api: ${l.slice(0, 400)}`), ...interesting(this.worker?.output() ?? '').map((l) => `worker: ${l.slice(0, 400)}`)];
  }

  /** What the server knows of a workflow that did not end: for the report of a failed run. */
  async diagnose(workflowId: string): Promise<string> {
    const connection = await Connection.connect({ address: this.env.TEMPORAL_ADDRESS! });
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
    const connection = await Connection.connect({ address: this.env.TEMPORAL_ADDRESS! });
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
    await kill(this.relay?.child, 'SIGTERM');
    await kill(this.mailpit, 'SIGTERM');
    await kill(this.publisher?.child, 'SIGTERM');
    await kill(this.nats, 'SIGTERM');
    await kill(this.api?.child, 'SIGTERM');
    await kill(this.worker?.child, 'SIGTERM');
    await kill(this.temporal, 'SIGTERM');
  }
}

function kill(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
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

/** The shop's HTTP client, noting every answer and how long it took. */
class WatchedHttp extends HttpClient {
  constructor(
    baseUrl: string,
    private readonly log: AnswerLog,
  ) {
    super(baseUrl);
  }

  override async send(method: string, path: string, options?: RequestOptions): Promise<Answer> {
    const started = Date.now();
    const answer = await super.send(method, path, options);
    this.log.note(`${method} ${path}`, answer, Date.now() - started);
    return answer;
  }
}
