import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Only on a real Temporal cluster (npm run test:cluster, vitest.cluster.config.ts).
    exclude: [...configDefaults.exclude, 'test/cluster/**'],
    // The SDK's native bridge crashes in worker threads: each test file gets its own process.
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    // One real Temporal dev server and one workflow bundle for the whole run.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
