// Temporal's remote codec protocol, so staff can read orders in the Web UI and the CLI: the UI
// posts `{ "payloads": [...] }` (bytes in base64) to /codec/decode and gets them back opened.
// Staff only: a bearer token, or the cookie a browser gets by signing in at /staff/sign-in.
import type { Payload } from '@temporalio/common';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { HttpDeps } from './deps';
import { endpoint } from './endpoint';
import { invalid } from './order-endpoints';
import { HttpProblem } from './problem';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
export const payloadsSchema = z.strictObject({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000),
});

type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

const reader = { staff: ['barista' as const, 'warehouse' as const], cookie: true };

/** Encoding and decoding, and the CORS preflight of each for the Web UI's origin. */
export const codecEndpoints = (['encode', 'decode'] as const).flatMap((direction) => {
  const done = direction === 'encode' ? 'sealed' : 'opened';
  const cors = (deps: HttpDeps) => [allowWebUi(deps.security.codecOrigins)];
  return [
    endpoint<HttpDeps, z.infer<typeof payloadsSchema>>({
      method: 'post',
      path: `/codec/${direction}`,
      summary: direction === 'decode' ? "Temporal's remote codec: open sealed payloads (for the Web UI and the CLI)" : "Temporal's remote codec: seal payloads",
      tag: 'staff',
      who: reader,
      body: { schema: payloadsSchema, is: 'the payloads' },
      headers: { 'X-Namespace': { schema: z.string(), description: `the namespace the payloads ${direction === 'decode' ? 'come from' : 'go to'}` } },
      answers: { 200: [`the payloads, ${done}`, payloadsSchema], 400: invalid, 422: [`a payload could not be ${done}`, 'problem'] },
      before: cors,
      handle: async ({ deps, req, res, body }) => {
        const namespace = req.get('X-Namespace');
        if (namespace !== undefined && namespace !== deps.namespace) {
          throw new HttpProblem(400, 'Unknown namespace', `this codec serves namespace "${deps.namespace}", not "${namespace}"`);
        }
        let answered: Payload[];
        try {
          answered = await deps.security.codec[direction](body.payloads.map(fromJson));
        } catch (err) {
          throw new HttpProblem(422, 'Cannot ' + direction, `a payload could not be ${direction}d: ${(err as Error).message}`);
        }
        res.json({ payloads: answered.map(toJson) });
      },
    }),
    endpoint<HttpDeps>({
      method: 'options',
      path: `/codec/${direction}`,
      summary: "CORS preflight for the Web UI's origin",
      tag: 'staff',
      who: 'anyone',
      answers: { 204: ['allowed methods and headers', 'text'] },
      before: cors,
      handle: ({ res }) => res.status(204).end(),
    }),
  ];
});

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
