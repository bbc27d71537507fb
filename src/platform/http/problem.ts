// RFC 9457 problem details: every error the API answers, and how zod issues name their fields.
import type { Response } from 'express';
import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

/** An error with an HTTP status, thrown by handlers and answered by the error middleware. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly type = 'about:blank',
  ) {
    super(detail);
  }
}

/** 503: a dependency is away. Says which, and when to try again; the request was not carried out. */
export class Unavailable extends HttpProblem {
  constructor(
    detail: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(503, 'Service unavailable', detail);
  }
}

/** 401: no credentials, or ones that do not hold. Bearer tokens are named in the challenge. */
export class Unauthorized extends HttpProblem {
  constructor(
    detail: string,
    readonly challenge?: string,
  ) {
    super(401, 'Unauthorized', detail);
  }
}

export function sendProblem(res: Response, problem: HttpProblem): void {
  if (problem instanceof Unavailable) res.set('Retry-After', String(problem.retryAfterSeconds));
  if (problem instanceof Unauthorized && problem.challenge) res.set('WWW-Authenticate', problem.challenge);
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

/** Parses input against a schema, or throws a 400 that lists each invalid field. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, where: string, prefix = ''): z.infer<S> {
  // No body at all is read as an empty one, so each missing field is named.
  return parseValueOr400(schema, input === undefined ? {} : input, where, prefix);
}

/** Parses one value (a path or query parameter, absent or not) against its schema, or throws a 400 naming it. */
export function parseValueOr400<S extends z.ZodType>(schema: S, input: unknown, where: string, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.flatMap((issue) =>
    // An unexpected field is reported at its parent; name the field itself.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName(prefix, [...issue.path, key]), message: 'is not a field of this request' }))
      : [{ field: fieldName(prefix, issue.path), message: issue.message }],
  );
  throw invalid(`${where} is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
}

export function invalid(detail: string, errors: FieldError[]): HttpProblem {
  return new HttpProblem(400, 'Invalid request', detail, errors);
}

/** `items[0].sku` style names, as a client developer would write them. */
function fieldName(prefix: string, path: PropertyKey[]): string {
  const name = path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), prefix);
  return name || '(body)';
}
