// What the API is built from: passed in, so tests build it over a real client and database.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/database';
import type { Services } from '../services';

export interface ApiDeps {
  client: Client;
  db: Db;
  services: Services;
  taskQueue: string;
  namespace: string;
  /** Base URL of the Temporal Web UI, for links to each workflow's page. */
  temporalUiUrl: string;
}

export function temporalUiLink(deps: ApiDeps, workflowId: string): string {
  return `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
