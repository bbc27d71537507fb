// `npm start -- --cluster`: the production topology on one machine, without Docker: PostgreSQL,
// the Temporal server's four services as processes on it (plaintext on loopback), the standalone
// Web UI server, and the shop's business database on the same PostgreSQL. Kept under DATA_DIR,
// so orders survive a restart like the dev server's do.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Settings } from '../platform/config';
import { stopChild } from './child-process';
import { ensureDatabase, type LocalPostgres, startPostgres } from './postgres';
import { standardClusterPorts, TemporalCluster } from './temporal-cluster';
import { codecFor, startUiServer } from './ui-server';

/** 5433 for the usual 7233: off PostgreSQL's default 5432, so a PostgreSQL the machine already runs is never touched. */
export const postgresPortFor = (frontendPort: number) => frontendPort - 1800;

export interface LocalCluster {
  /** The shop's own database, beside Temporal's. */
  databaseUrl: string;
  description: string;
  stop: () => Promise<void>;
}

export async function startLocalCluster(settings: Settings): Promise<LocalCluster> {
  const dataDir = path.resolve(settings.DATA_DIR, 'cluster');
  const frontendPort = Number(settings.temporal.connection.address.split(':').pop());
  const postgres: LocalPostgres = await startPostgres({ dir: path.join(dataDir, 'postgres'), port: postgresPortFor(frontendPort), quiet: true });
  let cluster: TemporalCluster | undefined;
  let ui: ChildProcess | undefined;
  try {
    await ensureDatabase(postgres, 'shop');
    cluster = await TemporalCluster.start({ dir: path.join(dataDir, 'temporal'), postgres, ports: standardClusterPorts(frontendPort), namespace: settings.temporal.namespace, retentionDays: 7 });
    const uiPort = Number(new URL(settings.TEMPORAL_UI_URL).port || 80);
    ui = await startUiServer({ dir: path.join(dataDir, 'ui'), port: uiPort, temporalAddress: cluster.address, ...codecFor(settings) });
  } catch (err) {
    await cluster?.stop();
    await postgres.stop();
    throw err;
  }
  const running = { cluster, ui };
  return {
    databaseUrl: postgres.url('shop'),
    description: `cluster of 4 services on PostgreSQL 127.0.0.1:${postgres.port}, logs in ${path.join(dataDir, 'temporal')}`,
    stop: async () => {
      await stopChild(running.ui);
      await running.cluster.stop();
      await postgres.stop();
    },
  };
}
