// One structured log line per request, with the order it concerns when there is one, and the
// staff member who made it: the record of who claimed, finished or restocked what.
import type { RequestHandler } from 'express';
import { orderOfPath, type WorkflowKind } from '../../shop/workflow-kind';
import type { Logger } from '../observability/logger';
import type { StaffMember } from '../security/staff-tokens';

/**
 * Which requests get a line at info: all of them (a deployed API: the record of who did what), or
 * only what needs a look (`npm start` in a terminal): errors, slow answers, staff actions. The
 * others are then written at debug, for LOG_LEVEL=debug.
 */
export type RequestLines = 'all' | 'errors-and-slow';

/** An answer slower than this is worth a line; a live stream (Server-Sent Events) is long by design. */
const SLOW_MS = 1000;

export function requestLog(logger: Logger, kinds: readonly WorkflowKind[], lines: RequestLines = 'all'): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // A placed order has its id only in the answer; the route leaves it in res.locals.
      const order = orderOfPath(kinds, req.path) ?? (res.locals.order as { kind: WorkflowKind; orderId: string } | undefined);
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const staff = res.locals.staff as StaffMember | undefined;
      const stream = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
      const worthALine = lines === 'all' || res.statusCode >= 400 || staff !== undefined || (durationMs >= SLOW_MS && !stream);
      logger[worthALine ? 'info' : 'debug'](
        { method: req.method, path: req.path, status: res.statusCode, durationMs, orderId: order?.orderId, workflowId: order?.kind.workflowId(order.orderId), staff: staff?.name, role: staff?.role },
        'request',
      );
    });
    next();
  };
}
