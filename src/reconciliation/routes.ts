// The latest reconciliation report, for admins: what the last run found, healed and left for a person.
import { z } from 'zod';
import type { HttpDeps } from '../platform/http/deps';
import { endpoint } from '../platform/http/endpoint';
import { HttpProblem } from '../platform/http/problem';
import type { Ledger } from '../services/ledger';
import { driftKinds } from './drift';

export interface ReconciliationDeps extends HttpDeps {
  services: { ledger: Ledger };
}

const driftSchema = z.object({
  kind: z.enum(driftKinds),
  orderId: z.string().optional(),
  detail: z.string(),
  heal: z.union([z.object({ payment: z.string() }), z.object({ reservation: z.string() })]).optional(),
  healed: z.boolean().optional(),
});

const reportSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  counts: z.record(z.enum(driftKinds), z.number().int()),
  drift: z.array(driftSchema),
});

export const reconciliationEndpoints = [
  endpoint<ReconciliationDeps>({
    method: 'get',
    path: '/reconciliation/latest',
    summary: 'The latest reconciliation: each kind of drift between money, stock, the outboxes and the orders, what was healed and what is left for a person',
    tag: 'staff',
    who: { staff: [] },
    answers: { 200: ['the latest run', reportSchema], 404: ['no run yet', 'problem'] },
    handle: async ({ deps, res }) => {
      const run = await deps.services.ledger.latestRun();
      if (!run) throw new HttpProblem(404, 'Not found', 'the reconciliation has not run yet: it runs every RECONCILE_EVERY_MINUTES, on its Temporal Schedule "reconcile-shop"');
      const report = run.report as Omit<z.infer<typeof reportSchema>, 'finishedAt'>;
      res.json({ ...report, finishedAt: run.finishedAt });
    },
  }),
];
