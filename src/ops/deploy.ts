// `npm run deploy:status`: each version of the workers' deployment, with what the temporal CLI
// does not show: its pollers and the open orders pinned to it. `npm run deploy:retire -- <build>`:
// deletes a version once nothing needs it, and refuses while orders are pinned to it.
// Promoting and ramping are the CLI's own commands (docs/OPERATIONS.md, "Deploying a change").
import { Connection } from '@temporalio/client';
import { settingsOrExit } from '../platform/config';
import { workflowKinds } from '../main/kinds';
import { type DeploymentStatus, deploymentStatus, RetireRefused, retireVersion, totalOpen, type VersionStatus } from '../platform/temporal/deployment';

const USAGE = 'usage: deploy.js status [--json] | deploy.js retire <build-id>';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'status' && command !== 'retire') return usage();
  if (command === 'retire' && (args.length !== 1 || args[0]!.startsWith('-'))) return usage();
  const settings = settingsOrExit();
  const { namespace, connection: options } = settings.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: 5_000 });
  } catch (err) {
    console.error(`Temporal cannot be reached at ${options.address}: ${(err as Error).message}`);
    process.exit(1);
  }
  const api = { workflowService: connection.workflowService, namespace };
  const deploymentName = settings.TEMPORAL_DEPLOYMENT_NAME;
  const taskQueue = settings.TEMPORAL_TASK_QUEUE;
  try {
    if (command === 'status') {
      const status = await deploymentStatus(api, deploymentName, taskQueue, workflowKinds);
      console.log(args.includes('--json') ? JSON.stringify(status, null, 2) : statusTable(status, `${options.address}, namespace ${namespace}`));
    } else {
      const buildId = args[0]!;
      await retireVersion(api, { deploymentName, buildId }, taskQueue, workflowKinds);
      console.log(`retired ${deploymentName}:${buildId}: Temporal no longer routes to it; its workers can be removed for good.`);
    }
  } catch (err) {
    if (!(err instanceof RetireRefused)) throw err;
    console.error(`refused: ${err.message}`);
    process.exitCode = 3;
  } finally {
    await connection.close();
  }
}

function usage(): void {
  console.error(USAGE);
  process.exit(2);
}

/** The status as a table an operator reads, with the next step for each version that has one. */
function statusTable(status: DeploymentStatus, where: string): string {
  const header = `Worker deployment ${status.deploymentName} · task queue ${status.taskQueue} · ${where}`;
  if (status.versions.length === 0) return `${header}\n\nNo version yet: no worker of this deployment has polled.`;
  const rows = [
    ['BUILD ID', 'STATE', 'POLLERS wf/act', ...workflowKinds.map((k) => `OPEN ${k.noun.toUpperCase()}S`), 'NEXT'],
    ...status.versions.map((v) => [
      v.buildId,
      v.state === 'ramping' ? `ramping ${v.rampPercentage}%` : v.state,
      `${v.pollers.workflow}/${v.pollers.activity}`,
      ...workflowKinds.map((k) => String(v.pinned[k.name] ?? 0)),
      nextStep(v, status.deploymentName),
    ]),
  ];
  const { unversioned } = status;
  if (totalOpen(unversioned) > 0) rows.push(['(unversioned)', 'started before versioning', '', ...workflowKinds.map((k) => String(unversioned[k.name] ?? 0)), 'go to the current version on their next step']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [header, '', ...rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd())].join('\n');
}

function nextStep(v: VersionStatus, deploymentName: string): string {
  const pinned = totalOpen(v.pinned);
  const polling = v.pollers.workflow + v.pollers.activity > 0;
  if (v.state === 'current') return polling ? '' : 'no worker polls: new orders wait';
  if (v.state === 'ramping') return polling ? '' : 'no worker polls: ramped orders wait';
  if (pinned > 0) return polling ? 'keep its workers until drained' : 'start its workers: pinned orders wait for them';
  // Never current: a new version waiting for its promote.
  if (v.state === 'inactive' && polling) return `to promote: temporal worker deployment set-current-version --deployment-name ${deploymentName} --build-id ${v.buildId}`;
  if (v.state === 'draining') return 'keep its workers: Temporal has not seen it drained yet';
  return polling ? 'stop its workers, then: npm run deploy:retire -- ' + v.buildId : 'npm run deploy:retire -- ' + v.buildId;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
