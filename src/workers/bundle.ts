// Build step: bundles the workflow code once, so production workers start without webpack.
// The bundle has the tracing interceptors. They add microtasks to every handler, and the
// workflows' command order does not depend on them (every Update handler answers only once the
// main code has acted on it): test/workflows/replay.test.ts replays every history without them.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from './worker';

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error };

/** The workflows and their interceptors as one bundle: what the build writes and tests load. */
export function bundleWorkflows(workflowsPath = WORKFLOWS_PATH, workflowInterceptorModules = WORKFLOW_INTERCEPTOR_MODULES): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: quiet });
}

/** Where the build puts the bundle: next to the compiled workers. */
export const PREBUILT_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.js');

/** The prebuilt bundle when the build made one; without it the worker bundles at start. */
export function prebuiltBundle(): { codePath: string } | undefined {
  return fs.existsSync(PREBUILT_BUNDLE) ? { codePath: PREBUILT_BUNDLE } : undefined;
}

if (require.main === module) {
  bundleWorkflows()
    .then(({ code }) => {
      fs.writeFileSync(PREBUILT_BUNDLE, code);
      console.log(`workflow bundle: ${path.relative(process.cwd(), PREBUILT_BUNDLE)} (${Math.round(code.length / 1024)} KiB)`);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
