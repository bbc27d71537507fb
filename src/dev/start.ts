// `npm start`: the whole local stack in one command — Temporal dev server and its Web UI (unless
// one already answers), a worker and the API — and a clean stop of all of it on Ctrl-C. `npm start -- --cluster`
// runs a real Temporal cluster on PostgreSQL instead (local-cluster.ts).
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { workflowBuildId } from '../main/bundle';
import { apiDeps } from '../main/deps';
import { scheduleReconciliation } from '../main/reconciliation';
import { serviceOptions, workerOptions } from '../main/service-options';
import { startApiServer } from '../main/server';
import { workflowKinds } from '../main/kinds';
import { ShopWorkers } from '../main/shop-worker';
import { encryptionCodec, orExit, type Settings, settingsOrExit } from '../platform/config';
import { stripeWebhookSecret } from '../platform/payment-settings';
import { openDatabase } from '../platform/db/database';
import { shownNatsUrl } from '../platform/messaging/stream';
import { createLogger } from '../platform/observability/logger';
import { installTemporalRuntime } from '../platform/observability/runtime';
import { startTracing } from '../platform/observability/tracing';
import { ensureSecretsFile, secretNames, secretsFile } from '../platform/security/secrets';
import { connectLazily, createTemporalClient } from '../platform/temporal/client';
import { type DeploymentApi, deploymentStatus, makeCurrent, openOrdersInWords, totalOpen } from '../platform/temporal/deployment';
import { versionName, type WorkerVersion, workerVersion } from '../platform/temporal/versioning';
import { createServices } from '../services';
import { eventPublisher } from '../services/event-publishing';
import { mailRelay } from '../services/mailer';
import { stopChild } from './child-process';
import { type LocalTemporal, muteOutput, startLocalTemporal, temporalAnswers } from './dev-server';
import { startLocalCluster } from './local-cluster';
import { listening, startMailpit } from './mailpit';
import { startNatsServer } from './nats';

async function main(): Promise<void> {
  const created = ensureSecretsFile(process.env.DATA_DIR || '.data');
  const settings = settingsOrExit(...secretNames);
  // For a person at a terminal: readable lines; piped elsewhere, JSON as in production.
  const logger = createLogger('local-stack', settings.LOG_LEVEL, process.stdout.isTTY ? { destination: process.stdout, colorize: true } : undefined);
  // The SDK's own lines (workers starting, each order's status) only from a warning up, unless asked.
  const sdkLogs = ['debug', 'trace'].includes(settings.LOG_LEVEL) ? logger : logger.child({}, { level: 'warn' });
  installTemporalRuntime(sdkLogs, { metricsPort: settings.WORKER_METRICS_PORT, workerStopsOnSignals: false });
  // After the runtime: a Stripe worker's breaker metrics are the runtime's.
  const options = orExit(() => serviceOptions(settings));
  orExit(() => stripeWebhookSecret(settings));
  const tracing = startTracing('temporal-fulfillment', settings.OTEL_EXPORTER_OTLP_ENDPOINT);
  const traced = settings.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
  const onCluster = process.argv.slice(2).includes('--cluster');
  const cluster = onCluster && !(await temporalAnswers(settings.temporal.connection)) ? await startLocalCluster(settings) : undefined;
  // On the cluster the shop's data sits beside Temporal's, on its PostgreSQL, unless DATABASE_URL says otherwise.
  if (cluster && !settings.DATABASE_URL) settings.database = { url: cluster.databaseUrl };
  const temporal = cluster ? undefined : await ensureTemporal(settings);
  const mailpit = await ensureMailpit(settings);
  const nats = await ensureNats(settings);

  const db = await openDatabase(settings.database);
  const services = createServices(db, options);
  const workerConnection = await NativeConnection.connect(settings.temporal.connection);
  const codec = encryptionCodec(settings);
  const version = workerVersion(settings, await workflowBuildId());
  const workers = await ShopWorkers.create(workerOptions(settings, { connection: workerConnection, version, services, codec, tracing, traced }));
  const workerStopped = workers.run();
  // Locally this worker is the only one: its version is current, whatever ran before.
  const deployment = { workflowService: workerConnection.workflowService, namespace: settings.temporal.namespace };
  await makeCurrent(deployment, version);
  await scheduleReconciliation(workerConnection, codec, settings, logger);
  const relay = mailRelay(settings, services.notificationOutbox);
  relay.start();
  const publisher = eventPublisher(settings, services.eventOutbox, logger);

  // The API's connection as in production: 503 within a second or two while Temporal is away.
  const connection = connectLazily(settings.temporal.connection);
  const client = createTemporalClient(connection, settings.temporal.namespace, codec);
  // A line per request only for what needs a look (errors, slow answers, staff actions); all of them with LOG_LEVEL=debug.
  const api = await startApiServer({ ...apiDeps(settings, { client, db, services, logger }), requestLines: 'errors-and-slow' }, settings.PORT);

  const secrets = secretsFile(settings.DATA_DIR);
  const banner = `
  Shop         ${api.url}/ (customers) and ${api.url}/barista (staff, with a token)
  API          ${api.url} (reference: ${api.url}/docs)
  Events       ${nats ? 'nats-server' : 'NATS'} at ${shownNatsUrl(settings.NATS_URL)}, stream ${settings.NATS_STREAM}: npm run events:tail
  Mail         ${mailpit ? `Mailpit, ${settings.MAILPIT_UI_URL} (SMTP ${new URL(settings.SMTP_URL).host})` : `relayed to ${new URL(settings.SMTP_URL).host}`}
  Temporal UI  ${settings.TEMPORAL_UI_URL} (decodes orders for staff signed in at ${api.url}/staff/sign-in)
  Temporal     ${settings.temporal.description}${cluster ? `\n               ${cluster.description}` : ''}
  Workers      version ${versionName(version)}, current (npm run deploy:status)
  Data         ${settings.DATA_DIR}${cluster ? ` (business data in PostgreSQL ${cluster.databaseUrl})` : ''}
  Secrets      ${created.length > 0 ? `created ${created.join(', ')} in ${secrets}` : `from the settings and ${secrets}`}
  Staff token  npm run --silent staff:token -- --name <you> --role admin
${process.stdin.isTTY ? 'Enter shows this again; ' : ''}Ctrl-C stops everything.`;
  console.log(banner);
  // In a terminal, Enter prints the addresses again once logs have pushed them out of sight.
  if (process.stdin.isTTY) process.stdin.on('data', () => console.log(banner));

  // In order: the API stops taking requests and finishes those in flight (they may wait on
  // workflows, so the worker still runs), then the worker drains, then Temporal stops.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (temporal) muteOutput(temporal.server);
    console.log('stopping: draining the API and the worker...');
    await api.close();
    workers.shutdown();
    await workerStopped;
    await relay.stop();
    await publisher.stop();
    await connection.close();
    await workerConnection.close();
    await db.destroy();
    await tracing.shutdown();
    await temporal?.stop();
    await cluster?.stop();
    await stopChild(mailpit);
    await stopChild(nats);
    console.log('stopped.');
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
  void warnOfStrandedOrders(deployment, version, settings.TEMPORAL_TASK_QUEUE);
  temporal?.server.on('exit', (code) => {
    if (stopping) return;
    console.error(`the Temporal dev server exited (${code}); stopping`);
    void stop().finally(() => process.exit(1));
  });
}

/**
 * Orders are pinned to the version they started on. After a change to the workflow code, the
 * orders of the earlier code wait for a worker of it; says so, and what to do, rather than leave
 * them silently stuck.
 */
async function warnOfStrandedOrders(api: DeploymentApi, version: WorkerVersion, taskQueue: string): Promise<void> {
  const status = await deploymentStatus(api, version.deploymentName, taskQueue, workflowKinds).catch(() => undefined);
  for (const other of status?.versions ?? []) {
    if (other.buildId === version.buildId || totalOpen(other.pinned) === 0) continue;
    console.warn(`
  ${openOrdersInWords(other.pinned, workflowKinds)} run on an earlier version of the workflow code,
  ${versionName({ ...version, buildId: other.buildId })}, and wait for a worker of it: run that code's worker beside
  this one (check it out in a git worktree, then npm run start:worker there), or, if this code replays
  them, move them here. docs/OPERATIONS.md, "Deploying a change".`);
  }
}

/**
 * The default SMTP_URL (localhost:1025) is Mailpit's: started here, keeping its mail under
 * DATA_DIR, unless something answers there already. Another SMTP_URL is the user's server.
 */
async function ensureMailpit(settings: Settings): Promise<ChildProcess | undefined> {
  const smtp = new URL(settings.SMTP_URL);
  if (!['localhost', '127.0.0.1'].includes(smtp.hostname) || (await listening(Number(smtp.port || 25)))) return undefined;
  return startMailpit({ smtpPort: Number(smtp.port || 25), httpPort: Number(new URL(settings.MAILPIT_UI_URL).port), dataDir: settings.DATA_DIR, quiet: true });
}

/**
 * The default NATS_URL (localhost:4222) is a nats-server with JetStream started here, its streams
 * kept under DATA_DIR, unless something answers there already. Another NATS_URL is the user's.
 */
async function ensureNats(settings: Settings): Promise<ChildProcess | undefined> {
  const url = new URL(settings.NATS_URL);
  const port = Number(url.port || 4222);
  if (!['localhost', '127.0.0.1'].includes(url.hostname) || (await listening(port))) return undefined;
  return startNatsServer({ port, storeDir: path.join(settings.DATA_DIR, 'nats'), quiet: true });
}

/** Uses a Temporal that already answers at TEMPORAL_ADDRESS, or starts the dev server. */
async function ensureTemporal(settings: Settings): Promise<LocalTemporal | undefined> {
  if (await temporalAnswers(settings.temporal.connection)) {
    console.log(`using the Temporal server already at ${settings.temporal.description}`);
    return undefined;
  }
  return startLocalTemporal(settings, true);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
