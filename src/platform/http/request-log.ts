// One structured log line per request, with the order it concerns when there is one, and the
// staff member who made it: the record of who claimed, finished or restocked what.
import type { RequestHandler } from 'express';
import { orderOfPath, type WorkflowKind } from '../../shop/workflow-kind';
import type { Logger } from '../observability/logger';
import type { StaffMember } from '../security/staff-tokens';

export function requestLog(logger: Logger, kinds: readonly WorkflowKind[]): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // A placed order has its id only in the answer; the route leaves it in res.locals.
      const order = orderOfPath(kinds, req.path) ?? (res.locals.order as { kind: WorkflowKind; orderId: string } | undefined);
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const staff = res.locals.staff as StaffMember | undefined;
      logger.info(
        { method: req.method, path: req.path, status: res.statusCode, durationMs, orderId: order?.orderId, workflowId: order?.kind.workflowId(order.orderId), staff: staff?.name, role: staff?.role },
        'request',
      );
    });
    next();
  };
}
