// `npm run bench`: orders through the HTTP API at a fixed concurrency, against the floor of the
// same shape straight through Temporal. Headline: ratio = orders/s ÷ floor/s. Then the memory a
// worker spends per open order in its cache, and how soon a worker polls after it starts.
//   npm run bench -- --count 400 --concurrency 20 --workflow orders|coffee --workers 1 --cached 500 --watchers 1000 [--profile] [--cluster]
// --profile writes a V8 CPU profile of each worker and the API to bench/results/profiles/.
// --cluster measures on a Temporal cluster of the run's own (the server's four services on
// PostgreSQL, src/dev/temporal-cluster.ts) instead of the dev server; TEMPORAL_ADDRESS (or a
// profile) measures on a Temporal that already runs.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startDevServer, temporalAnswers, waitForTemporal } from '../dev/dev-server';
import { freePort } from '../dev/ports';
import { findTemporalCli } from '../dev/temporal-cli';
import { ensureSecretsFile, readSecretsFile, secretNames } from '../platform/security/secrets';
import { StaffTokens } from '../platform/security/staff-tokens';
import { type TemporalTarget, temporalTarget } from '../platform/temporal/connection';
import { startBenchCluster } from './cluster';
import { floorActivities } from './floor-activities';
import { atConcurrency, customerReads, type Flow, oneFloor, oneOrder, oneWaitingOrder, type Sample } from './load';
import { processStats } from './process-stats';
import { chartSvg, percentile, progressBar, round, table, writeResults } from './report';
import { httpClient, liveReads, stockShop } from './shop';
import { idleWatchersCost } from './watchers';

const dist = path.resolve(__dirname, '..');
const resultsDir = path.resolve(dist, '..', 'bench', 'results');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '400' },
      concurrency: { type: 'string', default: '20' },
      workflow: { type: 'string', default: 'orders' },
      workers: { type: 'string', default: '1' },
      cached: { type: 'string', default: '500' },
      watchers: { type: 'string', default: '1000' },
      profile: { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
    },
  });
  const count = positive('count', values.count);
  const concurrency = positive('concurrency', values.concurrency);
  const workers = positive('workers', values.workers);
  const cached = positive('cached', values.cached);
  const watchers = positive('watchers', values.watchers);
  const flow = values.workflow as Flow;
  if (flow !== 'orders' && flow !== 'coffee') throw new Error('--workflow is orders or coffee');
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-bench-'));
  // A Temporal named by the settings (TEMPORAL_ADDRESS, a profile), else a dev server of the run's own.
  const named = ['TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE'].some((name) => process.env[name]);
  const temporal = named ? temporalTarget(process.env) : { namespace: 'default', connection: { address: `127.0.0.1:${await freePort()}` } };
  const { address } = temporal.connection;
  const processes: ChildProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    // The CPU of the Temporal this run started (every service and its database), else unknown.
    let serverCpu = () => Number.NaN;
    if (values.cluster && !named) {
      const cluster = await startBenchCluster(dataDir, Number(address.split(':').pop()));
      stops.push(cluster.stop);
      serverCpu = cluster.cpuSeconds;
    } else if (!(await temporalAnswers(temporal.connection))) {
      if (named) throw new Error(`nothing answers at ${address}: start that Temporal, or unset TEMPORAL_ADDRESS for a dev server of the run's own`);
      const cliPath = await findTemporalCli();
      if (!cliPath) throw new Error('no temporal CLI and nothing answering at TEMPORAL_ADDRESS');
      const server = startDevServer({ cliPath, dataDir, address, uiPort: await freePort(), ownProcessGroup: true, quiet: true });
      processes.push(server);
      await waitForTemporal(address);
      serverCpu = () => processStats(server.pid!).cpuSeconds;
    }
    // Where the CPU goes: the server's (when this run started it) and this process's own.
    const per1000 = (cpuSeconds: number) => round((cpuSeconds / count) * 1000);
    const ownCpu = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    };
    const port = await freePort();
    // Secrets of the run's own, under its DATA_DIR; one client drives every customer, so no rate limit.
    ensureSecretsFile(dataDir, {});
    // No reconciliation Schedule: a run landing in the measured window reads every open order (docs/PERFORMANCE.md).
    const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: `bench-${Date.now()}`, DATA_DIR: dataDir, PORT: String(port), WORKER_METRICS_PORT: '0', RATE_LIMIT_PER_MINUTE: '0', RECONCILE_EVERY_MINUTES: '0' };
    for (const name of secretNames) delete env[name];
    const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(resultsDir, 'profiles')}`] : [];
    // From process start to polling, with the prebuilt bundle, as a deploy or a restart sees it.
    const startedWorkers = await Promise.all(Array.from({ length: workers }, () => startProcess('main/worker.js', { ...env, LOG_LEVEL: 'info' }, /worker polling/, nodeArgs)));
    const workerProcs = startedWorkers.map((w) => w.child);
    const { child: api } = await startProcess('main/api.js', { ...env, LOG_LEVEL: 'info' }, /API listening/, nodeArgs);
    processes.push(...workerProcs, api);
    const secrets = readSecretsFile(dataDir);
    const staffToken = await new StaffTokens(secrets.STAFF_TOKEN_SECRET!).mint({ name: 'Bench', role: 'admin' });
    const http = httpClient(`http://127.0.0.1:${port}`, { staffToken, carrierSecret: secrets.CARRIER_WEBHOOK_SECRET });

    const { bodyFor } = await stockShop(http, flow, count + cached);
    const before = [...workerProcs, api].map((p) => processStats(p.pid!));
    const [serverBefore, ownBefore] = [serverCpu(), ownCpu()];
    const liveReadsBefore = await liveReads(http);
    const started = performance.now();
    const samples: Sample[] = [];
    const progress = progressBar('orders', count);
    await atConcurrency(count, concurrency, async (i) => void samples.push(await oneOrder(http, flow, `bench-${Date.now()}-${i}`, bodyFor(i), started)), progress);
    const seconds = (performance.now() - started) / 1000;
    // Every read of Temporal an order's customer caused: the plain reads, and those the API made for waiting ones.
    const readsPerOrder = round((customerReads.count + (await liveReads(http)) - liveReadsBefore) / count, 1);
    const after = [...workerProcs, api].map((p) => processStats(p.pid!));
    const [serverAfter, ownAfter] = [serverCpu(), ownCpu()];

    const floor = await runFloor(temporal, flow, count, concurrency);
    const [serverAfterFloor, ownAfterFloor] = [serverCpu(), ownCpu()];

    // Orders left open where they wait for someone else stay in the workers' caches. Fresh
    // workers hold none of the garbage of the run above, so what they grow by is the orders'.
    for (const p of workerProcs) await stopProcess(p);
    const freshWorkers = await Promise.all(workerProcs.map(() => startProcess('main/worker.js', { ...env, LOG_LEVEL: 'info' }, /worker polling/, nodeArgs)));
    processes.push(...freshWorkers.map((w) => w.child));
    const workersRss = () => freshWorkers.reduce((sum, w) => sum + processStats(w.child.pid!).rssMb, 0);
    const rssBeforeCached = workersRss();
    const openProgress = progressBar('open  ', cached);
    const openIds = Array.from({ length: cached }, (_, i) => `bench-open-${Date.now()}-${i}`);
    await atConcurrency(cached, concurrency, (i) => oneWaitingOrder(http, flow, openIds[i]!, bodyFor(count + i)), openProgress);
    const rssWithCached = workersRss();
    // Customers' pages left open on up to 200 of those waiting orders.
    const base = flow === 'orders' ? '/orders' : '/coffee/orders';
    const idle = await idleWatchersCost(`http://127.0.0.1:${port}`, openIds.slice(0, 200).map((id) => `${base}/${id}`), watchers, () => processStats(api.pid!).cpuSeconds + serverCpu());
    const ordersPerSecond = count / seconds;
    const workerCpu = after.slice(0, workers).reduce((sum, s, i) => sum + s.cpuSeconds - before[i]!.cpuSeconds, 0);
    const results = {
      ordersPerSecond: round(ordersPerSecond),
      floorPerSecond: round(floor.perSecond),
      ratio: round(ordersPerSecond / floor.perSecond),
      // The floor's CPU per workflow (worker, client, server) over ours per order (worker, server): what Temporal's side costs us.
      temporalSideRatio: round((serverAfterFloor - serverAfter + ownAfterFloor - ownAfter) / (workerCpu + serverAfter - serverBefore)),
      readsPerOrder,
      postP50Ms: round(percentile(samples.map((s) => s.postMs), 50), 1),
      postP95Ms: round(percentile(samples.map((s) => s.postMs), 95), 1),
      postP99Ms: round(percentile(samples.map((s) => s.postMs), 99), 1),
      completeP50Ms: round(percentile(samples.map((s) => s.completeMs), 50), 1),
      completeP95Ms: round(percentile(samples.map((s) => s.completeMs), 95), 1),
      completeP99Ms: round(percentile(samples.map((s) => s.completeMs), 99), 1),
      workerCpuSecondsPer1000: per1000(workerCpu),
      apiCpuSecondsPer1000: per1000(after.at(-1)!.cpuSeconds - before.at(-1)!.cpuSeconds),
      workerPeakRssMb: Math.max(...after.slice(0, workers).map((s) => s.peakRssMb)),
      apiPeakRssMb: after.at(-1)!.peakRssMb,
      serverCpuSecondsPer1000: per1000(serverAfter - serverBefore),
      driverCpuSecondsPer1000: per1000(ownAfter - ownBefore),
      floorServerCpuSecondsPer1000: per1000(serverAfterFloor - serverAfter),
      floorWorkerAndClientCpuSecondsPer1000: per1000(ownAfterFloor - ownAfter),
      memoryPerCachedWorkflowMb: round((rssWithCached - rssBeforeCached) / cached, 2),
      workerRssBeforeCachedMb: rssBeforeCached,
      workerRssWithCachedMb: rssWithCached,
      workerReadyMs: Math.round(Math.max(...startedWorkers.map((w) => w.readyMs))),
      idleWatchers: idle.watchers,
      idleCpuPercentOfOneCore: idle.baselinePercentOfOneCore,
      idleWatchersCpuPercentOfOneCore: idle.cpuPercentOfOneCore,
      settings: { count, concurrency, workflow: flow, workers, cached, watchers, cpus: os.cpus().length, node: process.version, temporal: values.cluster ? `cluster at ${address}` : address, at: new Date().toISOString() },
    };
    console.log(`\n${table(Object.entries(results).filter(([k]) => k !== 'settings') as [string, number][])}`);
    console.log(`  (${count} ${flow} at concurrency ${concurrency}, ${workers} worker(s); results in ${path.relative(process.cwd(), resultsDir)}/)`);
    writeResults(resultsDir, results, chartSvg(samples, `${count} ${flow}, concurrency ${concurrency}: ${results.ordersPerSecond}/s, ratio ${results.ratio}`));
  } finally {
    // API, then workers, then the server; each drains and exits (and writes its profile).
    for (const p of processes.reverse()) await stopProcess(p);
    for (const stop of stops) await stop();
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The same number of floor workflows of the flow's shape at the same concurrency, on a worker in this process. */
async function runFloor(temporal: Pick<TemporalTarget, 'namespace' | 'connection'>, flow: Flow, count: number, concurrency: number): Promise<{ perSecond: number }> {
  const taskQueue = `bench-floor-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect(temporal.connection);
  const worker = await Worker.create({ connection: nativeConnection, namespace: temporal.namespace, taskQueue, workflowsPath: require.resolve('./floor-workflow'), activities: floorActivities });
  const running = worker.run();
  const connection = await Connection.connect(temporal.connection);
  const client = new Client({ connection, namespace: temporal.namespace });
  const progress = progressBar('floor ', count);
  const started = performance.now();
  await atConcurrency(count, concurrency, async (i) => void (await oneFloor(client, flow, taskQueue, `bench-floor-${Date.now()}-${i}`, started)), progress);
  const perSecond = count / ((performance.now() - started) / 1000);
  worker.shutdown();
  await running;
  await connection.close();
  await nativeConnection.close();
  return { perSecond };
}

/** Starts a built entry point; `readyMs` is how long it took to print its ready line. */
async function startProcess(entry: string, env: NodeJS.ProcessEnv, ready: RegExp, nodeArgs: string[]): Promise<{ child: ChildProcess; readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, path.join(dist, entry)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += chunk;
      if (ready.test(seen)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining, unread
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before it was ready:\n${seen}`)));
  });
  return { child, readyMs: performance.now() - t0 };
}

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1, not ${value}`);
  return n;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
