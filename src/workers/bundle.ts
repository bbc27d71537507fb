// Build step: bundles the workflow code once, so production workers start without webpack.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './worker';

/** Where the build puts the bundle: next to the compiled workers. */
export const PREBUILT_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.js');

/** The prebuilt bundle when the build made one; without it the worker bundles at start. */
export function prebuiltBundle(): { codePath: string } | undefined {
  return fs.existsSync(PREBUILT_BUNDLE) ? { codePath: PREBUILT_BUNDLE } : undefined;
}

if (require.main === module) {
  const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error };
  bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })
    .then(({ code }) => {
      fs.writeFileSync(PREBUILT_BUNDLE, code);
      console.log(`workflow bundle: ${path.relative(process.cwd(), PREBUILT_BUNDLE)} (${Math.round(code.length / 1024)} KiB)`);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
