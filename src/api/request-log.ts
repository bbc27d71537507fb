// One structured log line per request, with the order it concerns when there is one.
import type { RequestHandler } from 'express';
import type { Logger } from '../observability/logger';

const orderPath = /^\/(orders|coffee\/orders)\/([^/]+)/;

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const match = orderPath.exec(req.path);
      const orderId = match?.[2] ?? (res.locals.orderId as string | undefined);
      const workflowId = orderId && (match?.[1] === 'coffee/orders' || res.locals.workflow === 'coffee' ? `coffee-${orderId}` : `order-${orderId}`);
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: req.path, status: res.statusCode, durationMs, orderId, workflowId }, 'request');
    });
    next();
  };
}
