// The route table: each endpoint is declared once, with who may call it, what it takes and what it
// answers, and that one declaration both serves it (mount) and documents it (./openapi.ts).
import { type RequestHandler, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { KindName } from '../../shop';
import type { StaffRole } from '../security/staff-tokens';
import type { LiveReads } from './live';
import { parseOr400, parseValueOr400 } from './problem';

/** Who may call an endpoint; the guard that checks it comes with the declaration. */
export type Who = 'anyone' | 'customers' | 'carrier' | { staff: readonly StaffRole[]; cookie?: boolean };

/** What an answer holds: JSON of a schema, a problem, a live stream of a schema's views, a page or text. */
export type Answer = z.ZodType | 'problem' | { events: z.ZodType } | 'html' | 'text';

export type Tag = 'orders' | 'coffee' | 'staff' | 'pages' | 'operations';

/** What every endpoint's handler is given: the request parsed as declared, and the app's shared parts. */
export interface Call<Deps, Body = unknown> {
  req: Request;
  res: Response;
  deps: Deps;
  /** The body, parsed with the declared schema. */
  body: Body;
  /** The path's parameters, each parsed with its declared schema. */
  params: Record<string, string>;
  /** The query's parameters, each parsed with its declared schema. */
  query: Record<string, unknown>;
  /** The live streams this app serves (`follow` one to answer with Server-Sent Events). */
  live: LiveReads;
  /** Counts a workflow this API instance started, by its kind's name. */
  started: (kind: KindName) => void;
}

export interface Endpoint<Deps = any, Body = any> {
  method: 'get' | 'put' | 'post' | 'options';
  /** OpenAPI's form: `/orders/{orderId}`. */
  path: string;
  summary: string;
  tag: Tag;
  who: Who;
  /** A schema for each `{name}` in the path. */
  params?: Record<string, z.ZodType<string>>;
  /** A schema for each query parameter it reads; others are ignored. */
  query?: Record<string, z.ZodType>;
  /** The body's schema, and how an answer names it when it is invalid ("the order"). */
  body?: { schema: z.ZodType<Body>; is: string };
  headers?: Record<string, { schema: z.ZodType; description: string; required?: boolean }>;
  /** Each status it answers: what it means, and what it holds. */
  answers: Record<number, [string, Answer]>;
  /** Where a client goes next from a 2xx answer: `{ order: { to: 'get /orders/{orderId}', ... } }` (OpenAPI links). */
  links?: Record<string, { to: string; description: string }>;
  /** What runs before the handler besides the guard: a form parser, CORS. */
  before?: (deps: Deps) => RequestHandler[];
  handle: (call: Call<Deps, Body>) => unknown;
}

/** Declares an endpoint, its body typed by its schema. */
export function endpoint<Deps, Body = undefined>(declared: Endpoint<Deps, Body>): Endpoint<Deps, Body> {
  return declared;
}

/** A request that takes no body: `{}` or nothing at all. */
export const noBodySchema = z.strictObject({}).optional();

/** The checks behind each `who`, made once per app (one rate-limit budget across the customers' endpoints). */
export interface Guards {
  customers: RequestHandler;
  carrier: RequestHandler;
  staff: (roles: readonly StaffRole[], options: { cookie?: boolean }) => RequestHandler;
}

/** Serves the endpoints on a router: guard, parse path and body as declared, then the handler. */
export function mount<Deps>(endpoints: readonly Endpoint<Deps>[], deps: Deps, guards: Guards, shared: Pick<Call<Deps>, 'live' | 'started'>): Router {
  const router = Router();
  for (const e of endpoints) {
    const guard = e.who === 'anyone' ? [] : e.who === 'customers' ? [guards.customers] : e.who === 'carrier' ? [guards.carrier] : [guards.staff(e.who.staff, { cookie: e.who.cookie })];
    // What comes before runs first: CORS headers belong on a 401 as well.
    router[e.method](e.path.replace(/\{(\w+)\}/g, ':$1'), ...(e.before?.(deps) ?? []), ...guard, async (req: Request, res: Response) => {
      const params = Object.fromEntries(Object.entries(e.params ?? {}).map(([name, schema]) => [name, parseValueOr400(schema, req.params[name], 'the path', name)]));
      const query = Object.fromEntries(Object.entries(e.query ?? {}).map(([name, schema]) => [name, parseValueOr400(schema, req.query[name], 'the query', name)]));
      const body = e.body ? parseOr400(e.body.schema, req.body, e.body.is) : undefined;
      await e.handle({ req, res, deps, body, params, query, ...shared });
    });
  }
  return router;
}
