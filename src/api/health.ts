// Liveness and readiness: up means the process runs; ready means Temporal and the database answer.
import { Router } from 'express';
import { databaseAnswers } from '../db/database';
import type { ApiDeps } from './deps';

/** How long a readiness probe waits for Temporal before calling it away. */
const TEMPORAL_PROBE_MS = 2000;

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [temporal, database] = await Promise.all([temporalAnswers(deps), databaseAnswers(deps.db)]);
    const ready = temporal && database;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      checks: { temporal: temporal ? 'up' : 'down', database: database ? 'up' : 'down' },
    });
  });
  return router;
}

async function temporalAnswers(deps: ApiDeps): Promise<boolean> {
  try {
    await deps.client.connection.withDeadline(Date.now() + TEMPORAL_PROBE_MS, () =>
      deps.client.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  }
}
