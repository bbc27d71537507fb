// The outbox's dead letters, for staff: messages the relay gave up on, and a way to send one again.
import { Router } from 'express';
import type { ApiDeps } from './deps';
import { HttpProblem } from './problem';
import { staffOnly } from './staff-auth';

export function outboxRoutes(deps: ApiDeps): Router {
  const router = Router();
  const admin = staffOnly(deps, []);
  router.get('/outbox/failed', admin, async (_req, res) => {
    res.json(await deps.services.notifier.failed());
  });
  router.post('/outbox/:notificationId/retry', admin, async (req, res) => {
    const id = String(req.params.notificationId);
    if (!(await deps.services.notifier.retry(id))) throw new HttpProblem(404, 'Not found', `no dead letter ${id}`);
    res.json({ notificationId: id, status: 'PENDING' });
  });
  return router;
}
