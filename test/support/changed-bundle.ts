// The workflows as a change would leave them: a copy of src/ with one line of a workflow file
// edited, bundled as the build bundles the real code. For tests that deploy a change.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { bundleWorkflows } from '../../src/workers/bundle';
import { WORKFLOWS_PATH } from '../../src/workers/worker';

export interface ChangedBundle {
  codePath: string;
  code: string;
}

/** Copies src/ under `scratch` (inside the project, for the bundler to find node_modules), puts `added` on the line after `after` in src/workflows/`file`, and bundles it. */
export async function bundleWithChange(scratch: string, file: string, after: string, added: string): Promise<ChangedBundle> {
  fs.cpSync(path.dirname(WORKFLOWS_PATH), path.join(scratch, 'src'), { recursive: true });
  const workflowFile = path.join(scratch, 'src', 'workflows', file);
  const source = fs.readFileSync(workflowFile, 'utf8');
  expect(source).toContain(after);
  fs.writeFileSync(workflowFile, source.replace(after, `${after}\n  ${added}`));
  const { code } = await bundleWorkflows(path.join(scratch, 'src', 'workflows'));
  const codePath = path.join(scratch, 'bundle.js');
  fs.writeFileSync(codePath, code);
  return { codePath, code };
}
