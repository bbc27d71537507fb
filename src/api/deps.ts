// What the API is built from: passed in, so tests build it over a real client and database.
import type { Client } from '@temporalio/client';
import type { Settings } from '../config';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import type { Services } from '../services';

export interface ApiDeps {
  client: Client;
  db: Db;
  services: Services;
  taskQueue: string;
  namespace: string;
  /** Base URL of the Temporal Web UI, for links to each workflow's page. */
  temporalUiUrl: string;
  /** How long a coffee order may wait for a barista before the shift manager hears of it. */
  coffeeClaimSlaSeconds: number;
  /** How long the carrier has to collect an order before it is cancelled and undone. */
  dispatchDeadlineHours: number;
  /** Where request logs go; none are written without one. */
  logger?: Logger;
}

export function temporalUiLink(deps: ApiDeps, workflowId: string): string {
  return `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The deps of a deployed API: what it talks to, and the settings it reads. */
export function apiDeps(settings: Settings, parts: Pick<ApiDeps, 'client' | 'db' | 'services' | 'logger'>): ApiDeps {
  return {
    ...parts,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    namespace: settings.TEMPORAL_NAMESPACE,
    temporalUiUrl: settings.TEMPORAL_UI_URL,
    coffeeClaimSlaSeconds: settings.COFFEE_CLAIM_SLA_SECONDS,
    dispatchDeadlineHours: settings.DISPATCH_DEADLINE_HOURS,
  };
}
