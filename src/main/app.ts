// The shop's API: the HTTP plumbing, with the endpoints of each kind of order and the app's own
// (health, metrics, pages, the codec, the outbox, the reconciliation, Stripe's webhook). Register a new kind's endpoints here.
import express, { type ErrorRequestHandler, type Express } from 'express';
import { coffeeEndpoints } from '../coffee/routes';
import { orderEndpoints } from '../orders/routes';
import { stripeWebhookEndpoints } from '../payments/stripe-webhook';
import { carrierSigned } from '../platform/http/carrier-webhook';
import { codecEndpoints } from '../platform/http/codec';
import { type Endpoint, endpoint, mount } from '../platform/http/endpoint';
import { healthEndpoints } from '../platform/http/health';
import { LiveReads, NOTIFIED } from '../platform/http/live';
import { pageEndpoints, webFiles } from '../platform/http/pages';
import { HttpProblem, sendProblem } from '../platform/http/problem';
import { BODY_LIMIT, customerRateLimit, protections } from '../platform/http/protections';
import { requestLog } from '../platform/http/request-log';
import { requestSpan } from '../platform/http/request-span';
import { staffOnly } from '../platform/http/staff-auth';
import { staffSignInEndpoints } from '../platform/http/staff-sign-in';
import { temporalUnavailableFor } from '../platform/http/temporal-errors';
import { reconciliationEndpoints } from '../reconciliation/routes';
import { BusinessError } from '../shop';
import { ChangeFeed } from './change-feed';
import type { ShopDeps } from './deps';
import { workflowKinds } from './kinds';
import { type ApiMetrics, countLiveReads, createApiMetrics } from './metrics';
import { outboxEndpoints } from './outbox-routes';

/** Every endpoint the API serves: the route table, from which /openapi.json is made too. */
export function shopEndpoints(metrics?: ApiMetrics): Endpoint<ShopDeps>[] {
  const all: Endpoint<ShopDeps>[] = [
    ...healthEndpoints,
    endpoint({
      method: 'get',
      path: '/metrics',
      summary: "The API's Prometheus metrics (no personal data; keep it on the internal network)",
      tag: 'operations',
      who: 'anyone',
      answers: { 200: ['metrics', 'text'] },
      handle: async ({ res }) => res.type(metrics!.registry.contentType).send(await metrics!.registry.metrics()),
    }),
    ...orderEndpoints,
    ...coffeeEndpoints,
    ...stripeWebhookEndpoints(workflowKinds),
    ...outboxEndpoints,
    ...reconciliationEndpoints,
    ...codecEndpoints,
    ...staffSignInEndpoints,
    ...pageEndpoints(workflowKinds, () => all),
  ];
  return all;
}

export function createApp(deps: ShopDeps): Express {
  const app = express();
  const metrics = createApiMetrics(deps);
  app.disable('x-powered-by');
  // Behind an ingress every request comes from the proxy: only the proxies named here are
  // believed about the client's address (req.ip), which the rate limit counts by.
  app.set('trust proxy', deps.security.trustProxy ?? false);
  app.use(metrics.middleware);
  if (deps.logger) app.use(requestLog(deps.logger, workflowKinds, deps.requestLines));
  app.use(protections());
  // After the body parser: its stream callbacks would lose the span's context.
  app.use(requestSpan);
  // Live streams read an order again when the events outbox says it changed, not on a timer.
  const live = new LiveReads(NOTIFIED);
  const feed = new ChangeFeed(deps.services.eventOutbox, live, workflowKinds, (err) => deps.logger?.warn({ error: String(err) }, 'the change feed cannot read the events outbox')).start();
  countLiveReads(metrics.registry, live);
  app.locals.live = live;
  app.locals.feed = feed;
  const guards = {
    // One budget per client across all the customers' endpoints.
    customers: customerRateLimit(deps.security.rateLimitPerMinute),
    carrier: carrierSigned(deps),
    staff: (roles: Parameters<typeof staffOnly>[1], options: { cookie?: boolean }) => staffOnly(deps, roles, options),
  };
  app.use(mount(shopEndpoints(metrics), deps, guards, { live, started: metrics.started }));
  app.use('/web', webFiles);
  app.use((req, res) => sendProblem(res, new HttpProblem(404, 'Not found', `no route for ${req.method} ${req.path}`)));
  app.use(problemHandler(deps.logger));
  return app;
}
/** Answers every error as a problem; a 503 is logged with the Temporal error behind it, for operators. */
function problemHandler(logger: ShopDeps['logger']): ErrorRequestHandler {
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
