// `npm run bench -- --cluster`: the bench on a real Temporal cluster of the run's own instead of
// the dev server, with what it spends in CPU (its four services and PostgreSQL) for the report.
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../dev/ports';
import { startPostgres } from '../dev/postgres';
import { freeClusterPorts, TemporalCluster, temporalServices } from '../dev/temporal-cluster';
import { processStats, processTreeCpuSeconds } from './process-stats';

/** A Temporal cluster for this run alone, plaintext on loopback, its frontend at the given port; what it spends in CPU, PostgreSQL included. */
export async function startBenchCluster(dataDir: string, frontendPort: number): Promise<{ cpuSeconds: () => number; stop: () => Promise<void> }> {
  // PostgreSQL runs as its own user, who must be able to enter the folder.
  fs.chmodSync(dataDir, 0o755);
  const postgres = await startPostgres({ dir: path.join(dataDir, 'postgres'), port: await freePort(), throwaway: true, quiet: true });
  const free = await freeClusterPorts();
  const ports = { ...free, frontend: { ...free.frontend, grpc: frontendPort } };
  const cluster = await TemporalCluster.start({ dir: path.join(dataDir, 'temporal'), postgres, ports, namespace: 'default', retentionDays: 1 });
  console.log(`Temporal cluster (${temporalServices.join(', ')}) on PostgreSQL at ${cluster.address}`);
  return {
    cpuSeconds: () => cluster.pids().reduce((sum, pid) => sum + processStats(pid).cpuSeconds, 0) + processTreeCpuSeconds(postgres.process.pid!),
    stop: async () => {
      await cluster.stop();
      await postgres.stop();
    },
  };
}
