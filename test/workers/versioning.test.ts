// Which version a worker belongs to: the build id follows the workflow code, a setting overrides
// it, and every workflow the workers register says how it meets a new version.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/platform/config';
import { buildIdOf, workerVersion } from '../../src/platform/temporal/versioning';
import * as workflows from '../../src/workflows';
import { distEntry } from '../support/processes';

describe('a worker version', () => {
  it('takes its build id from the workflow bundle: the same code the same id, any change a new one', () => {
    const code = fs.readFileSync(distEntry('workflow-bundle.js'), 'utf8');
    expect(buildIdOf(code)).toMatch(/^wf-[0-9a-f]{12}$/);
    expect(buildIdOf(code)).toBe(buildIdOf(`${code}`));
    expect(buildIdOf(code.replace('order-accepted', 'order-accepted!'))).not.toBe(buildIdOf(code));
  });

  it('is the built bundle’s id, as `npm run build:id` prints it, unless TEMPORAL_WORKER_BUILD_ID names one', async () => {
    const printed = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [distEntry('ops/build-id.js')], (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
    );
    expect(printed).toBe(buildIdOf(fs.readFileSync(distEntry('workflow-bundle.js'), 'utf8')));
    expect(workerVersion(loadSettings({}), printed)).toEqual({ deploymentName: 'temporal-fulfillment', buildId: printed });
    expect(workerVersion(loadSettings({ TEMPORAL_DEPLOYMENT_NAME: 'shop', TEMPORAL_WORKER_BUILD_ID: 'v2' }), printed)).toEqual({ deploymentName: 'shop', buildId: 'v2' });
  });

  it('runs orders, coffee orders and the reconciliation PINNED: each finishes on the version it started on', () => {
    const declared = Object.entries(workflows).map(([name, fn]) => [name, (fn as { workflowDefinitionOptions?: { versioningBehavior?: string } }).workflowDefinitionOptions?.versioningBehavior]);
    expect(declared).toEqual([
      ['orderFulfillment', 'PINNED'],
      ['coffeeOrder', 'PINNED'],
      ['reconcileShop', 'PINNED'],
    ]);
  });
});
