// One structured log line per request, with the order it concerns when there is one.
import type { RequestHandler } from 'express';
import { orderOfPath, type WorkflowKind } from '../domain/workflow-kinds';
import type { Logger } from '../observability/logger';

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // A placed order has its id only in the answer; the route leaves it in res.locals.
      const order = orderOfPath(req.path) ?? (res.locals.order as { kind: WorkflowKind; orderId: string } | undefined);
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { method: req.method, path: req.path, status: res.statusCode, durationMs, orderId: order?.orderId, workflowId: order?.kind.workflowId(order.orderId) },
        'request',
      );
    });
    next();
  };
}
