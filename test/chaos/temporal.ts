// The Temporal a chaos run breaks: the CLI's dev server (npm test, test:chaos), restarted whole
// on its SQLite file; or a real cluster (test:cluster), whose services are SIGKILLed one by one.
import type { ChildProcess } from 'node:child_process';
import { stopChild } from '../../src/dev/child-process';
import { startDevServer, waitForTemporal } from '../../src/dev/dev-server';
import { ensureDatabase } from '../../src/dev/postgres';
import { findTemporalCli } from '../../src/dev/temporal-cli';
import type { TemporalService } from '../../src/dev/temporal-cluster';
import { freePort } from '../support/processes';
import { startTestCluster, type TestCluster } from '../support/cluster';

export interface ChaosTemporal {
  /** TEMPORAL_* (and, on the cluster, DATABASE_URL) for the shop's processes. */
  env: Record<string, string>;
  /** The whole server down for a while, then up again on what it had stored. */
  restart(downMs: number): Promise<void>;
  /** Down until `up()`: for a worker started while Temporal is away. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** One service SIGKILLed and started again (the cluster only). */
  restartService(service: TemporalService): Promise<void>;
  /** For a failed run's report. */
  problems(): string[];
  stop(): Promise<void>;
}

export async function startChaosTemporal(kind: 'dev-server' | 'cluster', dataDir: string): Promise<ChaosTemporal> {
  return kind === 'cluster' ? ClusterTemporal.start() : DevServerTemporal.start(dataDir);
}

class DevServerTemporal implements ChaosTemporal {
  private server?: ChildProcess;

  private constructor(
    private readonly cliPath: string,
    private readonly dataDir: string,
    readonly env: Record<string, string>,
    private readonly uiPort: number,
  ) {}

  static async start(dataDir: string): Promise<DevServerTemporal> {
    const cliPath = await findTemporalCli();
    if (!cliPath) throw new Error('no temporal CLI');
    const temporal = new DevServerTemporal(cliPath, dataDir, { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }, await freePort());
    await temporal.up();
    return temporal;
  }

  async up(): Promise<void> {
    this.server = startDevServer({ cliPath: this.cliPath, dataDir: this.dataDir, address: this.env.TEMPORAL_ADDRESS!, uiPort: this.uiPort, ownProcessGroup: true, quiet: true });
    await waitForTemporal(this.env.TEMPORAL_ADDRESS!, 60_000);
  }

  down(): Promise<void> {
    return stopChild(this.server);
  }

  async restart(downMs: number): Promise<void> {
    await this.down();
    await new Promise((r) => setTimeout(r, downMs));
    await this.up();
  }

  restartService(): Promise<void> {
    throw new Error('the dev server is one process: restart it whole');
  }

  problems(): string[] {
    return [];
  }

  stop(): Promise<void> {
    return this.down();
  }
}

class ClusterTemporal implements ChaosTemporal {
  private constructor(
    private readonly test: TestCluster,
    readonly env: Record<string, string>,
  ) {}

  /** Its own cluster (not the run's shared one, which other test files use), the shop's database on the same PostgreSQL. */
  static async start(): Promise<ClusterTemporal> {
    const test = await startTestCluster();
    await ensureDatabase(test.postgres, 'shop');
    return new ClusterTemporal(test, { ...test.env, DATABASE_URL: test.postgres.url('shop') });
  }

  async restart(downMs: number): Promise<void> {
    await this.down();
    await new Promise((r) => setTimeout(r, downMs));
    await this.up();
  }

  down(): Promise<void> {
    return this.test.cluster.killService('frontend');
  }

  async up(): Promise<void> {
    await this.test.cluster.restartService('frontend');
  }

  restartService(service: TemporalService): Promise<void> {
    return this.test.cluster.restartService(service, 1000);
  }

  problems(): string[] {
    return (['frontend', 'history', 'matching', 'worker'] as const).flatMap((s) =>
      this.test.cluster
        .logTail(s, 200)
        .split('\n')
        .filter((l) => /"level":"(error|fatal)"/.test(l))
        .slice(-3)
        .map((l) => `temporal ${s}: ${l.slice(0, 300)}`),
    );
  }

  stop(): Promise<void> {
    return this.test.stop();
  }
}
