import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config';

// `npm run test:cluster`: on a real Temporal cluster (TEST_TEMPORAL=cluster: the server's four
// services as processes on PostgreSQL, mTLS): the API and workflow tests, mTLS itself, and the
// chaos run at scale on a cluster of its own. The same forks pool and global setup as npm test.
export default defineConfig({
  test: {
    ...base.test,
    exclude: configDefaults.exclude,
    // One file at a time: with two, the cluster's four services, PostgreSQL and two files' workers
    // share two cores, and once (CI, 2026-12-05) the deployments' routing stalled under that load
    // and every file after it timed out starting its worker. The run takes about 7 minutes so.
    poolOptions: { forks: { minForks: 1, maxForks: 1 } },
    include: ['test/api/**/*.test.ts', 'test/orders/**/*.test.ts', 'test/coffee/**/*.test.ts', 'test/saga/**/*.test.ts', 'test/reconciliation/reconcile.test.ts', 'test/payments/**/*.test.ts', 'test/workflows/**/*.test.ts', 'test/cluster/**/*.test.ts', 'test/chaos/**/*.cluster-chaos.ts'],
  },
});
