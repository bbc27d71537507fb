// What a Temporal cluster needs before and after its services start: its schemas on PostgreSQL
// (created, then upgraded by Temporal's SQL tool), a membership table free of an earlier run's
// members, and the namespace with the shop's search attributes, known to every service.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { searchAttributeKeys } from '../shop';
import { findGoTool, goTools } from './go-tools';
import { ensureDatabase, type LocalPostgres, withPostgres } from './postgres';

/** The two databases Temporal keeps on the PostgreSQL. */
const TEMPORAL_DATABASES = { temporal: 'postgresql/v12/temporal', temporal_visibility: 'postgresql/v12/visibility' } as const;

const execFileAsync = promisify(execFile);

/**
 * Creates Temporal's two databases if missing, then brings each schema to the newest version the
 * SQL tool carries: setting up the versioning tables the first time, applying only what is new
 * after that. The same command upgrades the schema after a server upgrade.
 */
export async function setUpSchemas(pg: LocalPostgres): Promise<void> {
  const tool = await findGoTool(goTools.temporalSqlTool);
  if (!tool) throw new Error(`no Temporal SQL tool: set ${goTools.temporalSqlTool.pathSetting}, or install Go to build one (npm run tools:build)`);
  for (const [database, schema] of Object.entries(TEMPORAL_DATABASES)) {
    await ensureDatabase(pg, database);
    const sql = (args: string[]) => execFileAsync(tool, ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pg.port), '-u', pg.user, '--db', database, ...args]);
    if (!(await hasSchemaVersionTable(pg, database))) await sql(['setup-schema', '-v', '0.0']);
    await sql(['update-schema', '--schema-name', schema]);
  }
}

/**
 * The services find each other through the membership table, which keeps the previous run's
 * members until their records expire. A frontend started alone on a cluster that was stopped a
 * moment ago would wait for those (same addresses, nobody answering) until ringpop gives up and
 * the process exits. Nothing of this cluster runs yet, so every row is stale.
 */
export async function forgetEarlierMembers(pg: LocalPostgres): Promise<void> {
  await withPostgres(pg.url('temporal'), (client) => client.query('DELETE FROM cluster_membership'));
}

async function hasSchemaVersionTable(pg: LocalPostgres, database: string): Promise<boolean> {
  const found = await withPostgres(pg.url(database), (client) => client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'"));
  return (found.rowCount ?? 0) > 0;
}

/** The namespace (unless it exists) and the shop's search attributes (those missing). */
export async function registerNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = searchAttributeKeys.filter((key) => !customAttributes?.[key.name]);
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]])),
  });
}

/**
 * A new namespace reaches each service's cache within seconds: until the frontend and history
 * both know it, starting a workflow would fail. Asking for a workflow that does not exist tells
 * them apart: "namespace not found" until then, "workflow not found" after.
 */
export async function waitForNamespace(connection: Connection, namespace: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const wait = async (what: string, served: () => Promise<boolean>) => {
    for (;;) {
      const error = await served().then(
        (ok) => (ok ? undefined : 'not yet'),
        (err: unknown) => String(err),
      );
      if (error === undefined) return;
      if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s: ${error}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  await wait(`namespace ${namespace} was not served`, () =>
    connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: 'no-such-workflow' } }).then(
      () => true,
      (err: unknown) => {
        if (/workflow.*not found|not found.*workflow/i.test(String(err)) && !/namespace/i.test(String(err))) return true;
        throw err;
      },
    ),
  );
  // The search attributes reach the frontend with the namespace's next refresh: until then a start
  // that sets one is refused. A query that names each of them tells when it has.
  const query = searchAttributeKeys.map((key) => `${key.name} = 'probe'`).join(' OR ');
  await wait(`the search attributes of ${namespace} were not known`, async () => {
    await connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 });
    return true;
  });
}

function isAlreadyExists(err: unknown): boolean {
  return (err as { code?: number }).code === 6 || /already exists|already registered/i.test(String(err));
}
