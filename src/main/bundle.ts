// Build step: bundles the workflow code once, so production workers start without webpack.
// Two bundles: a plain one, and one with the tracing interceptors for workers that export traces.
// The interceptors add microtasks to every handler, and the workflows' command order does not
// depend on them (every Update handler answers only once the main code has acted on it), so a
// history written by either replays on the other: test/workflows/replay.test.ts replays every
// history both ways.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { buildIdOf } from '../platform/temporal/versioning';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from './shop-worker';

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error };

/** The workflows and their interceptors as one bundle: what the build writes and tests load. */
export function bundleWorkflows(workflowsPath = WORKFLOWS_PATH, workflowInterceptorModules = WORKFLOW_INTERCEPTOR_MODULES): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: quiet });
}

/**
 * Where the build puts the bundles: next to the compiled workers. The tracing interceptors cost
 * about a third of a worker's CPU and most of a cached workflow's memory even when no span is
 * exported (docs/PERFORMANCE.md), so a worker loads them only when it exports traces.
 */
export const PREBUILT_BUNDLES = {
  plain: path.join(__dirname, '..', 'workflow-bundle.js'),
  traced: path.join(__dirname, '..', 'workflow-bundle-traced.js'),
};

/** The prebuilt bundle when the build made one; without it the worker bundles at start. */
export function prebuiltBundle(traced: boolean): { codePath: string } | undefined {
  const codePath = traced ? PREBUILT_BUNDLES.traced : PREBUILT_BUNDLES.plain;
  return fs.existsSync(codePath) ? { codePath } : undefined;
}

/**
 * The build id of the workflow code this worker runs: from the prebuilt plain bundle, else from
 * bundling the workflows now (a few seconds, only where nothing was built).
 */
export async function workflowBuildId(): Promise<string> {
  const code = fs.existsSync(PREBUILT_BUNDLES.plain) ? fs.readFileSync(PREBUILT_BUNDLES.plain, 'utf8') : (await bundleWorkflows(WORKFLOWS_PATH, [])).code;
  return buildIdOf(code);
}

async function build(): Promise<void> {
  for (const [kind, file] of Object.entries(PREBUILT_BUNDLES)) {
    const { code } = await bundleWorkflows(WORKFLOWS_PATH, kind === 'traced' ? WORKFLOW_INTERCEPTOR_MODULES : []);
    fs.writeFileSync(file, code);
    console.log(`workflow bundle: ${path.relative(process.cwd(), file)} (${Math.round(code.length / 1024)} KiB)`);
  }
  console.log(`workflow build id: ${await workflowBuildId()}`);
}

if (require.main === module) {
  build().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
