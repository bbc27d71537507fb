// What every kind of order declares the same way: placing one, reading it, following it live,
// and acting on it with an Update. A kind's routes (src/orders/routes.ts) put these together.
import { randomUUID } from 'node:crypto';
import type { Workflow } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { orderIdSchema } from '../../shop/schemas';
import type { WorkflowKind } from '../../shop/workflow-kind';
import { placedSchema } from './answer-schemas';
import type { HttpDeps } from './deps';
import { type Answer, type Call, type Endpoint, endpoint, noBodySchema, type Tag, type Who } from './endpoint';
import { requestedOrderId, updateId } from './idempotency-key';
import { type OrderStart, startOrderOnce } from './start-workflow';
import { answerUpdate } from './workflow-update';
import { readView, type View, workflowOrder } from './workflow-view';

export const idempotencyKey = { 'Idempotency-Key': { schema: orderIdSchema, description: 'the order id to use; the same key again meets the same order or action' } };
export const orderInPath = { orderId: orderIdSchema };
export const unavailable: [string, Answer] = ['Temporal or the workers are away: try again after `Retry-After` seconds', 'problem'];
export const invalid: [string, Answer] = ['invalid input: `errors` names each field', 'problem'];
export const notFound: [string, Answer] = ['no such order', 'problem'];
const refused: [string, Answer] = ["the order's state does not allow it now (the workflow's validator says why)", 'problem'];

/** The order a call's path names. */
export const pathOrder = (call: Call<HttpDeps>, kind: WorkflowKind) => workflowOrder(call.deps.client, kind, call.params.orderId!);

/**
 * Placing an order of a kind: its workflow started once per Idempotency-Key (the key is the order
 * id), answered 202 with links to its reads and to the actions named in `actions`.
 */
export function placing<Deps extends HttpDeps, Body, W extends Workflow>(
  kind: WorkflowKind,
  declared: { summary: string; tag: Tag; body: { schema: z.ZodType<Body>; is: string }; refusal: string; what: string; actions: Record<string, string> },
  start: (call: Call<Deps, Body>, orderId: string) => Promise<Omit<OrderStart<W>, 'orderId'>>,
): Endpoint<Deps, Body> {
  const base = kind.basePath;
  return endpoint<Deps, Body>({
    method: 'post',
    path: base,
    summary: declared.summary,
    tag: declared.tag,
    who: 'customers',
    body: declared.body,
    headers: idempotencyKey,
    answers: { 202: ['placed; its workflow runs', placedSchema], 400: invalid, 422: [declared.refusal, 'problem'], 503: unavailable },
    links: {
      order: { to: `get ${base}/{orderId}`, description: `the ${declared.what} as its workflow last published it` },
      live: { to: `get ${base}/{orderId}/events`, description: `the ${declared.what}, live` },
      ...Object.fromEntries(Object.entries(declared.actions).map(([name, description]) => [name, { to: `post ${base}/{orderId}/${name}`, description }])),
    },
    handle: async (call) => {
      const orderId = requestedOrderId(call.req) ?? randomUUID();
      await startOrderOnce<W>(call.res, call.deps, call.started, kind, { orderId, ...(await start(call, orderId)) });
    },
  });
}

/** The longest a read may wait for a change (`?wait=`): under the usual proxies' 60 s idle timeout. */
const MAX_WAIT_SECONDS = 30;

/**
 * Reading an order of a kind as its workflow last published it: at once, or once it has moved on
 * from a status the client has seen (a long poll), or live until it ends (Server-Sent Events).
 */
export function reading<V extends View>(kind: WorkflowKind, declared: { what: string; tag: Tag; view: z.ZodType; final: readonly string[] }): Endpoint<HttpDeps>[] {
  const path = `${kind.basePath}/{orderId}`;
  const watchOf = (order: ReturnType<typeof pathOrder>) => ({
    read: () => readView<V>(order),
    final: (v: V) => declared.final.includes(v.status),
    // A kind's statuses are listed in the order an order goes through them: at or past the noticed one, it shows.
    shows: (v: V, change: { status: string }) => kind.statuses.indexOf(v.status) >= kind.statuses.indexOf(change.status),
  });
  return [
    endpoint<HttpDeps>({
      method: 'get',
      path,
      summary: `The ${declared.what} as its workflow last published it`,
      tag: declared.tag,
      who: 'customers',
      params: orderInPath,
      query: {
        after: z
          .enum(kind.statuses as [string, ...string[]])
          .optional()
          .describe('a status the client has seen: with `wait`, the answer waits until the order has moved on from it'),
        wait: z.coerce
          .number()
          .int()
          .min(0)
          .max(MAX_WAIT_SECONDS)
          .optional()
          .describe(`seconds (at most ${MAX_WAIT_SECONDS}) to wait for the order to move on from \`after\`; it answers as it then stands either way`),
      },
      answers: { 200: [`the ${declared.what}`, declared.view], 400: invalid, 404: notFound, 503: unavailable },
      handle: async (call) => {
        const order = pathOrder(call, kind);
        const { after, wait } = call.query as { after?: string; wait?: number };
        if (!wait || after === undefined) return call.res.json(await readView<V>(order));
        // What a waiting client costs Temporal: one read now, one per change, not one per poll.
        call.res.json(await call.live.readWhenChanged(order.handle.workflowId, watchOf(order), (v) => v.status === after, wait * 1000));
      },
    }),
    endpoint<HttpDeps>({
      method: 'get',
      path: `${path}/events`,
      summary: `The ${declared.what}, live: a \`view\` event at each change, until it ends`,
      tag: declared.tag,
      who: 'customers',
      params: orderInPath,
      answers: { 200: [`Server-Sent Events: \`view\` (the ${declared.what}), \`problem\`, \`end\``, { events: declared.view }], 400: invalid },
      handle: (call) => {
        const order = pathOrder(call, kind);
        call.live.follow(order.handle.workflowId, watchOf(order), call.req, call.res);
      },
    }),
  ];
}

/**
 * An action on an order, sent to its workflow as an Update: the workflow's validator refuses it
 * (409) or carries it out. The same Idempotency-Key is the same Update, however often it is sent.
 */
export function acting<Deps extends HttpDeps, Body = undefined>(
  kind: WorkflowKind,
  name: string,
  declared: { summary: string; tag: Tag; who: Who; view: z.ZodType; body?: { schema: z.ZodType<Body>; is: string } },
  update: (call: Call<Deps, Body>) => { update: UpdateDefinition<any, any[]>; args: unknown[] },
): Endpoint<Deps, Body> {
  return endpoint<Deps, Body>({
    method: 'post',
    path: `${kind.basePath}/{orderId}/${name}`,
    summary: declared.summary,
    tag: declared.tag,
    who: declared.who,
    params: orderInPath,
    body: declared.body ?? { schema: noBodySchema as z.ZodType<Body>, is: 'the request' },
    headers: idempotencyKey,
    answers: { 200: ['done: the order as it now stands', declared.view], 202: ['accepted, still going on (a refund retrying): the order as it stands', declared.view], 400: invalid, 404: notFound, 409: refused, 503: unavailable },
    handle: async (call) => {
      await answerUpdate(call.res, call.deps, { order: pathOrder(call, kind), ...update(call), updateId: updateId(call.req, name) });
    },
  });
}
