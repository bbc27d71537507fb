// The API's contract as OpenAPI 3.2, made from the route table (./endpoint.ts): the same
// declarations that serve each endpoint and the zod schemas it validates with, so the document
// cannot drift from the code. Served at /openapi.json, read at /docs.
import { z } from 'zod';
import { problemSchema } from './answer-schemas';
import type { Answer, Endpoint } from './endpoint';

/** A zod schema as JSON Schema: as a request is sent (`input`), or as an answer is made (`output`: defaults applied, transforms done). */
const json = (schema: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};
const answered = (schema: z.ZodType) => json(schema, 'output');
const description = (schema: z.ZodType) => (schema.description ? { description: schema.description } : {});

/**
 * Each event of a live stream, as OpenAPI 3.2 describes Server-Sent Events: `itemSchema` is one
 * event, its `data` a JSON text whose schema is `contentSchema`. `view` carries the thing followed
 * at each change; `problem` says why the stream cannot go on; `end` closes it once the order ended.
 */
function eventItems(view: z.ZodType) {
  const event = (name: string, data: object) => ({
    type: 'object',
    required: ['event', 'data'],
    properties: { event: { const: name }, data: { type: 'string', contentMediaType: 'application/json', contentSchema: data } },
  });
  const problem = answered(z.object({ status: z.number().int(), title: z.string(), detail: z.string() }));
  return { oneOf: [event('view', answered(view)), event('problem', problem), event('end', { type: 'object', additionalProperties: false })] };
}

/** The link to another operation, its order id taken from this answer's body. */
function link(to: string, description: string) {
  const [method, path] = to.split(' ') as [string, string];
  return { operationRef: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`, parameters: { orderId: '$response.body#/orderId' }, description };
}

function content(answer: Answer) {
  if (answer === 'problem') return { 'application/problem+json': { schema: answered(problemSchema) } };
  if (typeof answer === 'object' && 'events' in answer) return { 'text/event-stream': { itemSchema: eventItems(answer.events) } };
  if (answer === 'html') return { 'text/html': { schema: { type: 'string' } } };
  if (answer === 'text') return undefined;
  return { 'application/json': { schema: answered(answer) } };
}

function operationObject(op: Endpoint) {
  const answers = { ...op.answers };
  const problem = (description: string): [string, Answer] => [description, 'problem'];
  if (op.body) answers[413] = problem('the body is larger than 1 MB');
  if (op.who === 'customers') answers[429] = problem('too many requests from this client: try again after `Retry-After` seconds');
  if (op.who === 'carrier') answers[401] = problem('no valid `X-Carrier-Signature`');
  if (typeof op.who === 'object') {
    answers[401] = problem('no staff token, or one that is forged, expired or malformed');
    answers[403] = problem(`the token's role may not do this: it needs ${[...op.who.staff, 'admin'].join(' or ')}`);
  }
  const parameters = [
    ...Object.entries(op.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: json(schema) })),
    ...Object.entries(op.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: !(schema instanceof z.ZodOptional), ...description(schema), schema: json(schema) })),
    ...Object.entries(op.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: h.required ?? false, description: h.description, schema: json(h.schema) })),
  ];
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: !(op.body.schema instanceof z.ZodOptional), content: { 'application/json': { schema: json(op.body.schema) } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(answers).map(([status, [description, answer]]) => [
        status,
        {
          description,
          ...(content(answer) ? { content: content(answer) } : {}),
          ...(op.links && status.startsWith('2') ? { links: Object.fromEntries(Object.entries(op.links).map(([name, l]) => [name, link(l.to, l.description)])) } : {}),
        },
      ]),
    ),
    security: typeof op.who === 'object' ? [{ staffToken: [] }] : op.who === 'carrier' ? [{ carrierSignature: [] }] : [],
    ...(typeof op.who === 'object' ? { 'x-roles': [...op.who.staff, 'admin'] } : {}),
  };
}

/** The document for the endpoints an app serves. */
export function openApiDocument(endpoints: readonly Endpoint[]) {
  const paths: Record<string, Record<string, ReturnType<typeof operationObject>>> = {};
  for (const e of endpoints) (paths[e.path] ??= {})[e.method] = operationObject(e);
  return {
    openapi: '3.2.0',
    info: {
      title: 'temporal-fulfillment',
      version: '0.1.0',
      description: 'Order fulfillment and a coffee shop as durable Temporal workflows. Money is integer cents; errors are RFC 9457 problem documents.',
    },
    tags: [
      { name: 'orders', description: 'Shop orders: customers, and the carrier' },
      { name: 'coffee', description: 'Coffee orders: customers' },
      { name: 'staff', description: 'Catalog, stock, the barista queue and the codec: staff tokens' },
      { name: 'pages', description: 'The web pages' },
      { name: 'operations', description: 'Health, metrics and this document' },
    ],
    paths,
    components: {
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A staff token from `npm run --silent staff:token -- --name N --role R`' },
        carrierSignature: { type: 'apiKey', in: 'header', name: 'X-Carrier-Signature', description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with CARRIER_WEBHOOK_SECRET; at most 5 minutes old' },
      },
    },
  };
}
