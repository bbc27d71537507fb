// The real Temporal cluster for `npm run test:cluster` and the chaos run on it: a throwaway
// PostgreSQL, the server's four services as processes, mTLS with certificates made for the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/dev/ports';
import { startPostgres, type LocalPostgres } from '../../src/dev/postgres';
import { freeClusterPorts, TemporalCluster } from '../../src/dev/temporal-cluster';
import { makeTestCertificates, type TestCertificates } from './certificates';
import { testDynamicConfig } from './server-settings';

export interface TestCluster {
  cluster: TemporalCluster;
  postgres: LocalPostgres;
  certificates: TestCertificates;
  /** The TEMPORAL_* settings a client with the shop's certificate connects with. */
  env: Record<string, string>;
  dir: string;
  stop: () => Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cluster-'));
  // PostgreSQL runs as its own user, who must be able to enter the folder.
  fs.chmodSync(dir, 0o755);
  const certificates = makeTestCertificates();
  const postgres = await startPostgres({ dir: path.join(dir, 'postgres'), port: await freePort(), throwaway: true, quiet: true });
  try {
    const tls = { serverCert: certificates.server.cert, serverKey: certificates.server.key, clientCa: certificates.ca.cert };
    const cluster = await TemporalCluster.start({ dir: path.join(dir, 'temporal'), postgres, ports: await freeClusterPorts(), namespace: 'default', retentionDays: 1, tls, dynamicConfig: testDynamicConfig });
    const env = {
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.client.key,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
    };
    return {
      cluster,
      postgres,
      certificates,
      env,
      dir,
      stop: async () => {
        await cluster.stop();
        await postgres.stop();
        certificates.remove();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}
