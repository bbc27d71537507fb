// The workflows as a change would leave them: a copy of src/ with lines of a workflow file
// edited, bundled as the build bundles the real code. For tests that deploy a change.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { bundleWorkflows } from '../../src/main/bundle';
import { WORKFLOWS_PATH } from '../../src/main/shop-worker';

export interface ChangedBundle {
  codePath: string;
  code: string;
}

/** One edit: in src/`file` (`orders/order-fulfillment.ts`), `find` (which must be there) becomes `replace`. */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

/** Copies src/ under `scratch` (inside the project, for the bundler to find node_modules), edits it, and bundles it. */
export async function bundleWithChange(scratch: string, edits: Edit[]): Promise<ChangedBundle> {
  fs.cpSync(path.dirname(WORKFLOWS_PATH), path.join(scratch, 'src'), { recursive: true });
  for (const { file, find, replace } of edits) {
    const workflowFile = path.join(scratch, 'src', file);
    const source = fs.readFileSync(workflowFile, 'utf8');
    expect(source).toContain(find);
    fs.writeFileSync(workflowFile, source.replace(find, replace));
  }
  const { code } = await bundleWorkflows(path.join(scratch, 'src', 'workflows.ts'));
  const codePath = path.join(scratch, 'bundle.js');
  fs.writeFileSync(codePath, code);
  return { codePath, code };
}

/** A step added after the line `after`: the change that makes a history of the code before fail to replay. */
export function addedAfter(file: string, after: string, added: string): Edit {
  return { file, find: after, replace: `${after}\n  ${added}` };
}
