// Starts the run's one Temporal and bundles the workflow code once for every test file. By
// default Temporal is the CLI's dev server; with TEST_TEMPORAL=cluster (`npm run test:cluster`) it
// is a real cluster: the Temporal server's four services as processes on PostgreSQL, mTLS on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { devServerDynamicConfig } from '../../src/dev/dev-server';
import { findTemporalCli } from '../../src/dev/temporal-cli';
import { bundleWorkflows } from '../../src/main/bundle';
import { buildIdOf } from '../../src/platform/temporal/versioning';
import { searchAttributeKeys } from '../../src/shop';
import { startTestCluster } from './cluster';
import { testDynamicConfigFlags } from './server-settings';

export default async function setup(project: TestProject) {
  const temporal = process.env.TEST_TEMPORAL === 'cluster' ? await startTestCluster() : await startDevServer();
  const { code } = await bundleWorkflows();
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-bundle-'));
  const workflowBundlePath = path.join(bundleDir, 'workflows.js');
  fs.writeFileSync(workflowBundlePath, code);

  project.provide('temporalAddress', temporal.env.TEMPORAL_ADDRESS);
  project.provide('temporalEnv', temporal.env);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('workflowBuildId', buildIdOf(code));
  return async () => {
    await temporal.stop();
    fs.rmSync(bundleDir, { recursive: true, force: true });
  };
}

async function startDevServer() {
  const cli = await findTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : undefined,
      ip: '127.0.0.1',
      extraArgs: [...devServerDynamicConfig, ...testDynamicConfigFlags()],
      searchAttributes: searchAttributeKeys,
    },
  });
  return { env: { TEMPORAL_ADDRESS: env.address }, stop: () => env.teardown() };
}
