// Temporal's Worker Deployment as this project reads and changes it: which version new workflows
// go to, what each version still runs, and retiring one safely. The temporal CLI's
// `worker deployment` commands do the rest (docs/OPERATIONS.md, "Deploying a change").
import os from 'node:os';
import type { temporal } from '@temporalio/proto';
import type { KindName } from '../../shop';
import type { WorkflowKind } from '../../shop/workflow-kind';
import { versionName, type WorkerVersion } from './versioning';

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;

export interface DeploymentApi {
  workflowService: WorkflowService;
  namespace: string;
}

/** How a change to the deployment names who made it (the CLI's describe shows it). */
const identity = `temporal-fulfillment@${os.hostname()}:${process.pid}`;

const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;

/** The gRPC code and message of a failed call, from the client's connection or the worker's native one. */
function grpcError(err: unknown): { code?: number; message: string } {
  const { code, details, message } = err as { code?: number; details?: string; message?: string };
  return { code, message: details || message || String(err) };
}

/**
 * A version exists once its first worker has polled, and has a task queue once a poller of it
 * has polled that queue (for workflows and for activities apart); until then Temporal answers
 * that there is no such deployment or version, or that the version lacks task queues the current
 * one has. Retries `call` through that, for at most `timeoutMs`.
 */
async function onceRegistered<T>(what: string, call: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const { code, message } = grpcError(err);
      const notYet = (code === NOT_FOUND || code === FAILED_PRECONDITION) && /not found|no worker deployment|missing active task queues/i.test(message);
      if (!notYet || Date.now() > deadline) throw new Error(`${what}: ${message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Makes `version` current: every new workflow starts on it. Waits for its first worker's poll. */
export async function makeCurrent(api: DeploymentApi, version: WorkerVersion, timeoutMs = 30_000): Promise<void> {
  await onceRegistered(
    `making ${versionName(version)} current`,
    () => api.workflowService.setWorkerDeploymentCurrentVersion({ namespace: api.namespace, deploymentName: version.deploymentName, buildId: version.buildId, identity }),
    timeoutMs,
  );
  await untilRoutingPropagated(api, version.deploymentName, timeoutMs);
}

const ROUTING_UPDATE_IN_PROGRESS = 1;

/**
 * A newer server (1.32) accepts a routing change at once and carries it to the task queues'
 * partitions afterwards: until it says the change is complete, a workflow started now may still
 * go to the version that was current. Older servers change the routing before they answer.
 */
async function untilRoutingPropagated(api: DeploymentApi, deploymentName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { workerDeploymentInfo } = await api.workflowService.describeWorkerDeployment({ namespace: api.namespace, deploymentName });
    if (Number(workerDeploymentInfo?.routingConfigUpdateState ?? 0) !== ROUTING_UPDATE_IN_PROGRESS) return;
    if (Date.now() > deadline) throw new Error(`the routing of deployment ${deploymentName} did not reach its task queues within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Sends `percentage` of new workflows to `version`, the rest to the current version. */
export async function setRamping(api: DeploymentApi, version: WorkerVersion, percentage: number, timeoutMs = 30_000): Promise<void> {
  await onceRegistered(
    `ramping ${versionName(version)} to ${percentage} %`,
    () => api.workflowService.setWorkerDeploymentRampingVersion({ namespace: api.namespace, deploymentName: version.deploymentName, buildId: version.buildId, percentage, identity }),
    timeoutMs,
  );
  await untilRoutingPropagated(api, version.deploymentName, timeoutMs);
}

/**
 * The first version of a deployment becomes current as its worker starts: with no current
 * version there is nothing to roll out from, and new workflows would otherwise wait. Once one is
 * current, this changes nothing: a later version waits for an explicit promote. The describe's
 * conflict token makes two first workers racing each other agree on one version. True when this
 * call made `version` current.
 */
export async function promoteIfFirst(api: DeploymentApi, version: WorkerVersion, timeoutMs = 30_000): Promise<boolean> {
  const { deploymentName, buildId } = version;
  const described = await onceRegistered(
    `describing deployment ${deploymentName}`,
    () => api.workflowService.describeWorkerDeployment({ namespace: api.namespace, deploymentName }),
    timeoutMs,
  );
  if (described.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId) return false;
  try {
    await onceRegistered(
      `making ${versionName(version)} current`,
      () => api.workflowService.setWorkerDeploymentCurrentVersion({ namespace: api.namespace, deploymentName, buildId, identity, conflictToken: described.conflictToken }),
      timeoutMs,
    );
    await untilRoutingPropagated(api, deploymentName, timeoutMs);
    return true;
  } catch (err) {
    // Another worker made its version current first: that one stands.
    if (/conflict/i.test(String(err))) return false;
    throw err;
  }
}

export type VersionState = 'current' | 'ramping' | 'draining' | 'drained' | 'inactive';

export interface VersionStatus {
  buildId: string;
  state: VersionState;
  /** Of new workflows, the share that start on this version while it ramps. */
  rampPercentage?: number;
  createdAt?: string;
  /** Workers seen polling the task queue for this version (Temporal remembers a poller for 5 minutes). */
  pollers: { workflow: number; activity: number };
  /** Open orders of each kind that will finish on this version and no other. */
  pinned: OpenOrders;
}

export interface DeploymentStatus {
  deploymentName: string;
  taskQueue: string;
  versions: VersionStatus[];
  /** Open workflows started before the workers were versioned: they go to the current version on their next task. */
  unversioned: OpenOrders;
}

/** Open orders by kind: `{ order: 2, coffee: 1 }`. */
export type OpenOrders = Partial<Record<KindName, number>>;

/** The kinds of order a deployment runs, as the status counts them. */
export type CountedKinds = readonly Pick<WorkflowKind, 'name' | 'noun' | 'workflowType'>[];

/** How many open orders, in words: `2 order(s) and 1 coffee order(s)`. */
export function openOrdersInWords(open: OpenOrders, kinds: CountedKinds): string {
  return kinds.map((k) => `${open[k.name] ?? 0} ${k.noun}(s)`).join(' and ');
}

export const totalOpen = (open: OpenOrders): number => Object.values(open).reduce((sum, n) => sum + (n ?? 0), 0);

/** What the temporal CLI's describe does not show: per version, its pollers and the orders pinned to it. */
export async function deploymentStatus(api: DeploymentApi, deploymentName: string, taskQueue: string, kinds: CountedKinds): Promise<DeploymentStatus> {
  const described = await api.workflowService.describeWorkerDeployment({ namespace: api.namespace, deploymentName }).catch((err: unknown) => {
    if (grpcError(err).code === NOT_FOUND) return undefined; // no worker of it has polled yet
    throw err;
  });
  const info = described?.workerDeploymentInfo;
  const routing = info?.routingConfig;
  const pollers = await pollersByBuild(api, deploymentName, taskQueue);
  const versions = await Promise.all(
    (info?.versionSummaries ?? []).map(async (summary): Promise<VersionStatus> => {
      const buildId = summary.deploymentVersion?.buildId ?? '';
      const ramping = routing?.rampingDeploymentVersion?.buildId === buildId;
      return {
        buildId,
        state: stateOf(summary, routing?.currentDeploymentVersion?.buildId === buildId, ramping),
        ...(ramping ? { rampPercentage: routing?.rampingVersionPercentage ?? 0 } : {}),
        ...(summary.createTime?.seconds ? { createdAt: new Date(Number(summary.createTime.seconds) * 1000).toISOString() } : {}),
        pollers: pollers.get(buildId) ?? { workflow: 0, activity: 0 },
        pinned: await openOrders(api, taskQueue, kinds, `TemporalWorkerDeploymentVersion = '${versionName({ deploymentName, buildId })}' AND TemporalWorkflowVersioningBehavior = 'Pinned'`),
      };
    }),
  );
  const order: VersionState[] = ['current', 'ramping', 'draining', 'inactive', 'drained'];
  versions.sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  return { deploymentName, taskQueue, versions, unversioned: await openOrders(api, taskQueue, kinds, 'TemporalWorkerDeploymentVersion IS NULL') };
}

type VersionSummary = temporal.api.deployment.v1.WorkerDeploymentInfo.IWorkerDeploymentVersionSummary;

/** Temporal's status of the version; older servers give only the drainage, so the routing fills in. */
function stateOf(summary: VersionSummary, current: boolean, ramping: boolean): VersionState {
  const byStatus: Record<number, VersionState> = { 1: 'inactive', 2: 'current', 3: 'ramping', 4: 'draining', 5: 'drained', 6: 'inactive' };
  const status = byStatus[Number(summary.status ?? 0)];
  if (status) return status;
  if (current) return 'current';
  if (ramping) return 'ramping';
  const drainage = Number(summary.drainageInfo?.status ?? summary.drainageStatus ?? 0);
  return drainage === 1 ? 'draining' : drainage === 2 ? 'drained' : 'inactive';
}

async function pollersByBuild(api: DeploymentApi, deploymentName: string, taskQueue: string): Promise<Map<string, VersionStatus['pollers']>> {
  const byBuild = new Map<string, VersionStatus['pollers']>();
  for (const [type, kind] of [[1, 'workflow'], [2, 'activity']] as const) {
    const { pollers } = await api.workflowService.describeTaskQueue({ namespace: api.namespace, taskQueue: { name: taskQueue }, taskQueueType: type });
    const seen = new Set<string>();
    for (const poller of pollers ?? []) {
      const options = poller.deploymentOptions;
      if (options?.deploymentName !== deploymentName || !options.buildId || seen.has(`${options.buildId}/${poller.identity}`)) continue;
      seen.add(`${options.buildId}/${poller.identity}`);
      const counts = byBuild.get(options.buildId) ?? { workflow: 0, activity: 0 };
      counts[kind] += 1;
      byBuild.set(options.buildId, counts);
    }
  }
  return byBuild;
}

/** Open orders of each kind on the task queue that match `filter` (a visibility query). */
async function openOrders(api: DeploymentApi, taskQueue: string, kinds: CountedKinds, filter: string): Promise<OpenOrders> {
  const count = async (type: string) => {
    const query = `${filter} AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}' AND WorkflowType = '${type}'`;
    const { count: n } = await api.workflowService.countWorkflowExecutions({ namespace: api.namespace, query });
    return Number(n ?? 0);
  };
  return Object.fromEntries(await Promise.all(kinds.map(async (k) => [k.name, await count(k.workflowType)] as const)));
}

export class RetireRefused extends Error {}

/**
 * Deletes a version from the deployment once nothing needs it: not current or ramping, no open
 * order of any kind pinned to it (counted now, not after Temporal's next drainage check),
 * and no worker of it still polling. Refuses with the reason otherwise.
 */
export async function retireVersion(api: DeploymentApi, version: WorkerVersion, taskQueue: string, kinds: CountedKinds): Promise<void> {
  const status = await deploymentStatus(api, version.deploymentName, taskQueue, kinds);
  const found = status.versions.find((v) => v.buildId === version.buildId);
  const name = versionName(version);
  if (!found) throw new RetireRefused(`${name} is not a version of deployment ${version.deploymentName}`);
  if (found.state === 'current' || found.state === 'ramping') throw new RetireRefused(`${name} is ${found.state}: make another version current first`);
  if (totalOpen(found.pinned) > 0) throw new RetireRefused(`${name} still runs ${openOrdersInWords(found.pinned, kinds)} pinned to it: wait until it is drained`);
  try {
    await api.workflowService.deleteWorkerDeploymentVersion({ namespace: api.namespace, deploymentVersion: version, identity });
  } catch (err) {
    const { code, message } = grpcError(err);
    if (code === FAILED_PRECONDITION) {
      const why = /poller/i.test(message) ? 'its workers are still polling (stop them; Temporal forgets a poller some minutes after it stops)' : message;
      throw new RetireRefused(`${name} cannot be retired yet: ${why}`);
    }
    throw err;
  }
}
