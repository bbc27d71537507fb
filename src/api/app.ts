// The Express app: JSON in and out, problem+json for every error, routes by resource.
import express, { type ErrorRequestHandler, type Express } from 'express';
import { BusinessError } from '../domain';
import type { ApiDeps } from './deps';
import { codecRoutes } from './codec';
import { coffeeRoutes } from './coffee';
import { createApiMetrics } from '../observability/metrics';
import { healthRoutes } from './health';
import { inventoryRoutes } from './inventory';
import { LiveReads } from './live';
import { liveRoutes } from './live-routes';
import { pageRoutes } from './pages';
import { requestLog } from './request-log';
import { requestSpan } from './request-span';
import { orderRoutes } from './orders';
import { outboxRoutes } from './outbox';
import { HttpProblem, sendProblem } from './problem';
import { BODY_LIMIT, customerRateLimit, protections } from './protections';
import { staffSignInRoutes } from './staff-sign-in';
import { temporalUnavailableFor } from './temporal-errors';

export function createApp(deps: ApiDeps): Express {
  const app = express();
  const metrics = createApiMetrics(deps);
  app.disable('x-powered-by');
  // Behind an ingress every request comes from the proxy: only the proxies named here are
  // believed about the client's address (req.ip), which the rate limit counts by.
  app.set('trust proxy', deps.security.trustProxy ?? false);
  app.use(metrics.middleware);
  if (deps.logger) app.use(requestLog(deps.logger));
  app.use(protections());
  // After the body parser: its stream callbacks would lose the span's context.
  app.use(requestSpan);
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(healthRoutes(deps));
  app.use(staffSignInRoutes(deps));
  app.use(codecRoutes(deps));
  // One budget per client across all the customers' endpoints.
  const forCustomers = customerRateLimit(deps.security.rateLimitPerMinute);
  const live = new LiveReads();
  app.locals.live = live;
  app.use(pageRoutes());
  app.use(liveRoutes(deps, live, forCustomers));
  app.use(inventoryRoutes(deps));
  app.use(outboxRoutes(deps));
  app.use(orderRoutes(deps, metrics, forCustomers));
  app.use(coffeeRoutes(deps, metrics, forCustomers));
  app.use((req, res) => sendProblem(res, new HttpProblem(404, 'Not found', `no route for ${req.method} ${req.path}`)));
  app.use(problemHandler(deps.logger));
  return app;
}

/** Answers every error as a problem; a 503 is logged with the Temporal error behind it, for operators. */
function problemHandler(logger: ApiDeps['logger']): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.status === 503 && err !== problem) logger?.warn({ method: req.method, path: req.path, error: String(err), cause: String((err as Error).cause ?? '') }, 'answered 503');
    sendProblem(res, problem);
  };
}

function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof BusinessError) {
    return err.type === 'NotFound' ? new HttpProblem(404, 'Not found', err.message) : new HttpProblem(409, 'Conflict', err.message);
  }
  const bodyError = err as { type?: string; status?: number; message?: string };
  if (bodyError.type === 'entity.parse.failed') {
    return new HttpProblem(400, 'Malformed JSON', `the body is not valid JSON: ${bodyError.message}`, [{ field: '(body)', message: 'not valid JSON' }]);
  }
  if (bodyError.type === 'entity.too.large') {
    return new HttpProblem(413, 'Payload too large', `the body is larger than ${BODY_LIMIT}`);
  }
  if (typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return new HttpProblem(bodyError.status, 'Bad request', bodyError.message ?? 'the request cannot be read');
  }
  const unavailable = temporalUnavailableFor(err);
  if (unavailable) return unavailable;
  console.error('unexpected error in a request', err);
  return new HttpProblem(500, 'Internal error', 'something went wrong on our side');
}
