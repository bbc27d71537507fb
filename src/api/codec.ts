// Temporal's remote codec protocol, so staff can read orders in the Web UI and the CLI: the UI
// posts `{ "payloads": [...] }` (bytes in base64) to /codec/decode and gets them back opened.
// Staff only: a bearer token, or the cookie a browser gets by signing in at /staff/sign-in.
import type { Payload } from '@temporalio/common';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from './deps';
import { HttpProblem, parseOr400 } from './problem';
import { staffOnly } from './staff-auth';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
export const payloadsSchema = z.strictObject({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000),
});

type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

export function codecRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/codec', allowWebUi(deps.security.codecOrigins));
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/codec/${direction}`, staffOnly(deps, ['barista', 'warehouse'], { cookie: true }), async (req, res) => {
      const namespace = req.get('X-Namespace');
      if (namespace !== undefined && namespace !== deps.namespace) {
        throw new HttpProblem(400, 'Unknown namespace', `this codec serves namespace "${deps.namespace}", not "${namespace}"`);
      }
      const { payloads } = parseOr400(payloadsSchema, req.body, 'the payloads');
      let answered: Payload[];
      try {
        answered = await deps.security.codec[direction](payloads.map(fromJson));
      } catch (err) {
        throw new HttpProblem(422, 'Cannot ' + direction, `a payload could not be ${direction}d: ${(err as Error).message}`);
      }
      res.json({ payloads: answered.map(toJson) });
    });
  }
  return router;
}

/**
 * CORS for the Web UI's origin: it calls the codec from the browser, with the staff cookie when
 * "include cross-origin credentials" is on. Preflights carry no credentials and need none.
 */
function allowWebUi(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('Origin');
    if (origin && origins.includes(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization, Authorization-Extras',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
}

function fromJson(p: JsonPayload): Payload {
  const metadata = Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): JsonPayload {
  const metadata = Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]));
  return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}
