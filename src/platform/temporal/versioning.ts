// Which Worker Deployment Version a worker belongs to. A workflow that starts on a version is
// PINNED to it (orders and coffee orders declare so): it runs to its end on that version's
// workers, so a new version may change the workflow code freely. docs/OPERATIONS.md, "Deploying a change".
import crypto from 'node:crypto';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import type { Settings } from '../config';

export interface WorkerVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * The build id of a workflow bundle, from its content: the same workflow code is the same build,
 * and any change to it (or to what it imports) is a new one. Taken from the bundle without the
 * tracing interceptors, so a worker that exports traces belongs to the same version as one that
 * does not (their histories replay on each other: test/workflows/replay.test.ts).
 */
export function buildIdOf(bundleCode: string): string {
  return `wf-${crypto.createHash('sha256').update(bundleCode).digest('hex').slice(0, 12)}`;
}

/** The worker's version: TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID, else the bundle's build id. */
export function workerVersion(settings: Pick<Settings, 'TEMPORAL_DEPLOYMENT_NAME' | 'TEMPORAL_WORKER_BUILD_ID'>, bundleBuildId: string): WorkerVersion {
  return { deploymentName: settings.TEMPORAL_DEPLOYMENT_NAME, buildId: settings.TEMPORAL_WORKER_BUILD_ID ?? bundleBuildId };
}

/**
 * Versioned polling. A workflow that declares no behavior of its own is PINNED too: a workflow
 * added later and forgotten then never meets changed code mid-run, the safe mistake to make.
 */
export function deploymentOptions(version: WorkerVersion): WorkerDeploymentOptions {
  return { useWorkerVersioning: true, version, defaultVersioningBehavior: 'PINNED' };
}

/** How Temporal names a version in its search attributes and CLI: `deployment:build`. */
export function versionName(version: WorkerVersion): string {
  return `${version.deploymentName}:${version.buildId}`;
}
