// Liveness and readiness: up means the process runs; ready means Temporal and the database answer.
import { databaseAnswers } from '../db/database';
import { healthSchema, readinessSchema } from './answer-schemas';
import type { HttpDeps } from './deps';
import { endpoint } from './endpoint';

/** How long a readiness probe waits for Temporal before calling it away. */
const TEMPORAL_PROBE_MS = 2000;

export const healthEndpoints = [
  endpoint<HttpDeps>({
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    tag: 'operations',
    who: 'anyone',
    answers: { 200: ['up', healthSchema] },
    handle: ({ res }) => res.json({ status: 'ok' }),
  }),
  endpoint<HttpDeps>({
    method: 'get',
    path: '/readyz',
    summary: 'Temporal and the database answer',
    tag: 'operations',
    who: 'anyone',
    answers: { 200: ['ready', readinessSchema], 503: ['not ready; `checks` says what is down', readinessSchema] },
    handle: async ({ deps, res }) => {
      const [temporal, database] = await Promise.all([temporalAnswers(deps), databaseAnswers(deps.db)]);
      const ready = temporal && database;
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'unavailable',
        checks: { temporal: temporal ? 'up' : 'down', database: database ? 'up' : 'down' },
      });
    },
  }),
];

async function temporalAnswers(deps: HttpDeps): Promise<boolean> {
  try {
    await deps.client.connection.withDeadline(Date.now() + TEMPORAL_PROBE_MS, () =>
      deps.client.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  }
}
