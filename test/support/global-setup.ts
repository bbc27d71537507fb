// Starts one real Temporal dev server and bundles the workflow code once for every test file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { devServerDynamicConfig } from '../../src/dev/dev-server';
import { findTemporalCli } from '../../src/dev/temporal-cli';
import { searchAttributeKeys } from '../../src/domain';
import { bundleWorkflows } from '../../src/workers/bundle';

export default async function setup(project: TestProject) {
  const cli = await findTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : undefined,
      ip: '127.0.0.1',
      extraArgs: devServerDynamicConfig,
      searchAttributes: searchAttributeKeys,
    },
  });
  const { code } = await bundleWorkflows();
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-bundle-'));
  const workflowBundlePath = path.join(bundleDir, 'workflows.js');
  fs.writeFileSync(workflowBundlePath, code);

  project.provide('temporalAddress', env.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  return async () => {
    await env.teardown();
    fs.rmSync(bundleDir, { recursive: true, force: true });
  };
}
