// A real Temporal cluster on this machine, as production runs one: the Temporal server (v1.32.1,
// built with Go) with frontend, history, matching and worker each a process of its own, on a
// PostgreSQL of the project's own, its schemas set up and upgraded by Temporal's SQL tool, the
// namespace and the shop's search attributes registered; optionally mTLS on the frontend.
// Used by `npm start -- --cluster` and `npm run test:cluster`.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { TemporalConnectionOptions } from '../platform/temporal/connection';
import { stopChild } from './child-process';
import { findGoTool, goTools, projectRoot } from './go-tools';
import { freePort } from './ports';
import type { LocalPostgres } from './postgres';
import { forgetEarlierMembers, registerNamespace, setUpSchemas, waitForNamespace } from './temporal-setup';

export const temporalServices = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof temporalServices)[number];

export interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
}

export type ClusterPorts = Record<TemporalService, ServicePorts> & { frontendHttp: number };

/** The server's certificate and key, and the CA whose clients it lets in: the frontend then requires a client certificate. */
export interface ClusterTls {
  serverCert: string;
  serverKey: string;
  clientCa: string;
}

export interface TemporalClusterOptions {
  /** Config files and each service's log. */
  dir: string;
  postgres: LocalPostgres;
  ports: ClusterPorts;
  namespace: string;
  /** How long closed workflows are kept. */
  retentionDays: number;
  tls?: ClusterTls;
  /** Temporal's history shards: fixed for the life of a cluster. Production sizes it for its load (512 and up). */
  historyShards?: number;
  /** Dynamic config values on top of the project's (deploy/temporal/dynamicconfig/fulfillment.yaml): a test's shorter intervals. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/**
 * The ports of `npm start -- --cluster`, at Temporal's usual offsets from the frontend's (for
 * 7233: history 7234, matching 7235, worker 7239, membership 6933-6939, HTTP API 7243, metrics
 * 8000-8003), so that one setting, TEMPORAL_ADDRESS, moves the whole cluster.
 */
export function standardClusterPorts(frontend: number): ClusterPorts {
  const service = (offset: number, index: number) => ({ grpc: frontend + offset, membership: frontend - 300 + offset, metrics: frontend + 767 + index });
  return { frontend: service(0, 0), history: service(1, 1), matching: service(2, 2), worker: service(6, 3), frontendHttp: frontend + 10 };
}

/** Free loopback ports for every service: a cluster that shares the machine with others (tests, the bench). */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const service = async () => ({ grpc: await freePort(), membership: await freePort(), metrics: await freePort() });
  return { frontend: await service(), history: await service(), matching: await service(), worker: await service(), frontendHttp: await freePort() };
}

export class TemporalCluster {
  private readonly processes = new Map<TemporalService, ChildProcess>();

  private constructor(
    readonly opts: TemporalClusterOptions,
    private readonly serverBinary: string,
  ) {}

  /** Sets up the schemas (a no-op when they are current), starts the four services, and registers the namespace. */
  static async start(opts: TemporalClusterOptions): Promise<TemporalCluster> {
    const serverBinary = await findGoTool(goTools.temporalServer);
    if (!serverBinary) throw new Error(`no Temporal server: set ${goTools.temporalServer.pathSetting}, or install Go to build one (npm run tools:build)`);
    fs.mkdirSync(opts.dir, { recursive: true });
    await setUpSchemas(opts.postgres);
    await forgetEarlierMembers(opts.postgres);
    const cluster = new TemporalCluster(opts, serverBinary);
    for (const service of temporalServices) cluster.writeConfig(service);
    try {
      // The first service to start writes the cluster's metadata; started together on a fresh
      // database, two would race to write it and the loser would exit.
      cluster.startService('frontend');
      await cluster.waitForFrontend(90_000);
      for (const service of temporalServices.filter((s) => s !== 'frontend')) cluster.startService(service);
      await cluster.waitUntilServing();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  get address(): string {
    return `127.0.0.1:${this.opts.ports.frontend.grpc}`;
  }

  /** What a client of the cluster needs besides its own certificate. */
  clientConnection(client?: { cert: string; key: string }): TemporalConnectionOptions {
    const tls = this.opts.tls;
    if (!tls) return { address: this.address };
    return {
      address: this.address,
      tls: {
        serverNameOverride: 'localhost',
        serverRootCACertificate: fs.readFileSync(tls.clientCa),
        ...(client && { clientCertPair: { crt: fs.readFileSync(client.cert), key: fs.readFileSync(client.key) } }),
      },
    };
  }

  /** The service's process, started anew with the same config (ports, database) as before. */
  startService(service: TemporalService): void {
    const log = fs.openSync(path.join(this.opts.dir, `${service}.log`), 'a');
    const child = spawn(this.serverBinary, ['--config-file', this.configFile(service), '--allow-no-auth', 'start', '--service', service], { stdio: ['ignore', log, log], cwd: this.opts.dir });
    fs.closeSync(log);
    this.processes.set(service, child);
  }

  /** The services' process ids, for a measurement of what the cluster costs. */
  pids(): number[] {
    return [...this.processes.values()].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  }

  /** SIGKILL, as a crashed node or an evicted pod: nothing is flushed, in-memory state is lost. */
  async killService(service: TemporalService): Promise<void> {
    await stopChild(this.processes.get(service), 'SIGKILL');
  }

  async restartService(service: TemporalService, downMs = 0): Promise<void> {
    await this.killService(service);
    await new Promise((r) => setTimeout(r, downMs));
    this.startService(service);
    if (service === 'frontend') await this.waitForFrontend(60_000);
  }

  /** The last lines a service wrote, for the report of a failed run. */
  logTail(service: TemporalService, lines = 20): string {
    const file = path.join(this.opts.dir, `${service}.log`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  }

  async stop(): Promise<void> {
    // Frontend first, so no new work arrives; each service drains on SIGTERM.
    for (const service of temporalServices) await stopChild(this.processes.get(service), 'SIGTERM');
  }

  private configFile(service: TemporalService): string {
    return path.join(this.opts.dir, `${service}.yaml`);
  }

  /** One file per service: the same cluster, only the metrics port differs (each process serves its own). */
  private writeConfig(service: TemporalService): void {
    const { ports, postgres, tls } = this.opts;
    const store = (databaseName: string, maxConns: number) => ({
      sql: { pluginName: 'postgres12', databaseName, connectAddr: `127.0.0.1:${postgres.port}`, connectProtocol: 'tcp', user: postgres.user, password: '', maxConns, maxIdleConns: maxConns, maxConnLifetime: '1h' },
    });
    const rpc = (name: TemporalService) => ({
      rpc: { grpcPort: ports[name].grpc, membershipPort: ports[name].membership, bindOnIP: '127.0.0.1', ...(name === 'frontend' && { httpPort: ports.frontendHttp }) },
    });
    const config = {
      log: { stdout: true, level: 'warn' },
      persistence: {
        defaultStore: 'default',
        visibilityStore: 'visibility',
        numHistoryShards: this.opts.historyShards ?? 4,
        datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
      },
      global: {
        membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
        metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports[service].metrics}` } },
        ...(tls && {
          tls: {
            frontend: {
              server: { certFile: tls.serverCert, keyFile: tls.serverKey, requireClientAuth: true, clientCaFiles: [tls.clientCa] },
              client: { serverName: 'localhost', rootCaFiles: [tls.clientCa] },
            },
            // How the cluster's own services call the frontend (the worker service, the operator
            // API looking up a namespace): with a certificate of the cluster's, like any client.
            systemWorker: { certFile: tls.serverCert, keyFile: tls.serverKey, client: { serverName: 'localhost', rootCaFiles: [tls.clientCa] } },
          },
        }),
      },
      services: Object.fromEntries(temporalServices.map((name) => [name, rpc(name)])),
      clusterMetadata: {
        enableGlobalNamespace: false,
        failoverVersionIncrement: 10,
        masterClusterName: 'active',
        currentClusterName: 'active',
        clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend.grpc}` } },
      },
      dcRedirectionPolicy: { policy: 'noop' },
      dynamicConfigClient: { filepath: this.dynamicConfigFile(), pollInterval: '10s' },
    };
    // JSON is YAML: the server reads it as its config file.
    fs.writeFileSync(this.configFile(service), JSON.stringify(config, null, 2));
  }

  /** The project's dynamic config, or a copy of it with the options' values added. */
  private dynamicConfigFile(): string {
    const project = path.join(projectRoot, 'deploy', 'temporal', 'dynamicconfig', 'fulfillment.yaml');
    const extra = Object.entries(this.opts.dynamicConfig ?? {});
    if (extra.length === 0) return project;
    const file = path.join(this.opts.dir, 'dynamicconfig.yaml');
    const added = extra.map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n`).join('');
    fs.writeFileSync(file, `${fs.readFileSync(project, 'utf8')}\n${added}`);
    return file;
  }

  private async waitForFrontend(timeoutMs: number): Promise<void> {
    await (await this.frontendConnection(timeoutMs)).close();
  }

  private async frontendConnection(timeoutMs: number): Promise<Connection> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        // The cluster's own certificate: it is signed by the CA the frontend trusts.
        const connection = await Connection.connect({ ...this.clientConnection(this.opts.tls && { cert: this.opts.tls.serverCert, key: this.opts.tls.serverKey }), connectTimeout: 1000 });
        await connection.workflowService.getSystemInfo({});
        return connection;
      } catch (err) {
        const exited = [...this.processes].find(([, child]) => child.exitCode !== null);
        if (exited) throw new Error(`Temporal's ${exited[0]} service exited (${exited[1].exitCode}):\n${this.logTail(exited[0])}`);
        if (Date.now() > deadline) throw new Error(`Temporal's frontend did not answer at ${this.address} within ${timeoutMs / 1000} s: ${String(err)}\n${this.logTail('frontend')}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** The namespace and search attributes registered, and every service knowing them. */
  private async waitUntilServing(): Promise<void> {
    const connection = await this.frontendConnection(90_000);
    try {
      await registerNamespace(connection, this.opts.namespace, this.opts.retentionDays);
      await waitForNamespace(connection, this.opts.namespace);
    } finally {
      await connection.close();
    }
  }
}
