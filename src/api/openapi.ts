// The API's contract as OpenAPI 3.2, made from the same zod schemas the routes validate with and
// the schemas of what they answer: one source of truth. Served at /openapi.json, read at /docs.
import { z } from 'zod';
import { ingredientNameSchema, orderIdSchema, placeCoffeeOrderSchema, placeOrderSchema, skuSchema } from '../domain/schemas';
import { payloadsSchema } from './codec';
import { failBodySchema, ingredientBodySchema, noBodySchema } from './coffee';
import { itemBodySchema } from './inventory';
import { cancelBodySchema, shipmentEventSchema } from './orders';
import {
  boardSchema,
  coffeeViewSchema,
  deadLettersSchema,
  healthSchema,
  ingredientSchema,
  inventoryItemSchema,
  menuSchema,
  orderViewSchema,
  placedSchema,
  problemSchema,
  queueSchema,
  readinessSchema,
  shipmentAcceptedSchema,
} from './response-schemas';

type Who = 'anyone' | 'customers' | 'carrier' | { staff: string[] };
/** A live stream: Server-Sent Events whose `view` events carry `view`, the thing followed. */
interface Events {
  events: z.ZodType;
}
type Answer = z.ZodType | 'problem' | Events | 'html' | 'text';

interface Operation {
  summary: string;
  tag: 'orders' | 'coffee' | 'staff' | 'operations' | 'pages';
  who: Who;
  body?: z.ZodType;
  headers?: Record<string, { schema: z.ZodType; description: string; required?: boolean }>;
  answers: Record<number, [string, Answer]>;
  /** Where a client goes next from a 2xx answer: the reads of what it created (OpenAPI links). */
  links?: Record<string, { to: string; description: string }>;
}

/** A zod schema as JSON Schema: as a request is sent (`input`), or as an answer is made (`output`: defaults applied, transforms done). */
const json = (schema: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};
const answered = (schema: z.ZodType) => json(schema, 'output');

const idempotencyKey = { 'Idempotency-Key': { schema: orderIdSchema, description: 'the order id to use; the same key again meets the same order or action' } };
const unavailable: [string, Answer] = ['Temporal or the workers are away: try again after `Retry-After` seconds', 'problem'];
const invalid: [string, Answer] = ['invalid input: `errors` names each field', 'problem'];
const notFound: [string, Answer] = ['no such order', 'problem'];
const refused: [string, Answer] = ["the order's state does not allow it now (the workflow's validator says why)", 'problem'];

const orderAction = (summary: string, tag: Operation['tag'], who: Who, view: z.ZodType, body: z.ZodType = noBodySchema): Operation => ({
  summary,
  tag,
  who,
  body,
  headers: idempotencyKey,
  answers: { 200: ['done: the order as it now stands', view], 202: ['accepted, still going on (a refund retrying): the order as it stands', view], 400: invalid, 404: notFound, 409: refused, 503: unavailable },
});

/** Placing an order of a kind: started once per Idempotency-Key, answered 202 with links to its reads and its actions. */
const placing = (summary: string, tag: Operation['tag'], body: z.ZodType, refusal: string, base: string, what: string, actions: Record<string, string>): Operation => ({
  summary,
  tag,
  who: 'customers',
  body,
  headers: idempotencyKey,
  answers: { 202: ['placed; its workflow runs', placedSchema], 400: invalid, 422: [refusal, 'problem'], 503: unavailable },
  links: {
    order: { to: `get ${base}/{orderId}`, description: `the ${what} as its workflow last published it` },
    live: { to: `get ${base}/{orderId}/events`, description: `the ${what}, live` },
    ...Object.fromEntries(Object.entries(actions).map(([name, description]) => [name, { to: `post ${base}/{orderId}/${name}`, description }])),
  },
});

export const operations: Record<string, Partial<Record<'get' | 'put' | 'post' | 'options', Operation>>> = {
  '/healthz': { get: { summary: 'The process is up', tag: 'operations', who: 'anyone', answers: { 200: ['up', healthSchema] } } },
  '/readyz': { get: { summary: 'Temporal and the database answer', tag: 'operations', who: 'anyone', answers: { 200: ['ready', readinessSchema], 503: ['not ready; `checks` says what is down', readinessSchema] } } },
  '/metrics': { get: { summary: "The API's Prometheus metrics (no personal data; keep it on the internal network)", tag: 'operations', who: 'anyone', answers: { 200: ['metrics', 'text'] } } },
  '/inventory/{sku}': {
    put: { summary: 'Put an item in the catalog with its price and stock', tag: 'staff', who: { staff: ['warehouse'] }, body: itemBodySchema, answers: { 200: ['the item', inventoryItemSchema], 400: invalid, 409: ['the name is a café ingredient', 'problem'] } },
    get: { summary: "An item's price and stock", tag: 'staff', who: { staff: ['warehouse'] }, answers: { 200: ['the item', inventoryItemSchema], 400: invalid, 404: ['not in the catalog', 'problem'] } },
  },
  '/orders': {
    post: placing('Place an order; prices come from the catalog', 'orders', placeOrderSchema, 'an unknown sku, or the key reused with another body', '/orders', 'order', { cancel: 'cancel it' }),
  },
  '/orders/{orderId}': { get: { summary: 'The order as its workflow last published it', tag: 'orders', who: 'customers', answers: { 200: ['the order', orderViewSchema], 400: invalid, 404: notFound, 503: unavailable } } },
  '/orders/{orderId}/events': { get: { summary: 'The order, live: a `view` event at each change, until it ends', tag: 'orders', who: 'customers', answers: { 200: ['Server-Sent Events: `view` (the order), `problem`, `end`', { events: orderViewSchema }], 400: invalid } } },
  '/orders/{orderId}/cancel': { post: orderAction('Cancel the order: every step done is undone', 'orders', 'customers', orderViewSchema, cancelBodySchema) },
  '/orders/{orderId}/shipment-events': {
    post: {
      summary: "The carrier's webhook: the parcel left, or arrived",
      tag: 'orders',
      who: 'carrier',
      body: shipmentEventSchema,
      headers: idempotencyKey,
      answers: { 202: ['the order has taken it', shipmentAcceptedSchema], 400: invalid, 404: notFound, 409: ['the order has no parcel on its way', 'problem'], 503: unavailable },
    },
  },
  '/coffee/menu': { get: { summary: 'Drinks, prices in cents by size, recipes', tag: 'coffee', who: 'customers', answers: { 200: ['the menu', menuSchema] } } },
  '/coffee/ingredients/{name}': {
    put: { summary: "Set an ingredient's stock", tag: 'staff', who: { staff: ['barista', 'warehouse'] }, body: ingredientBodySchema, answers: { 200: ['the ingredient', ingredientSchema], 400: invalid, 409: ['a catalog item has that name', 'problem'] } },
    get: { summary: "An ingredient's stock", tag: 'staff', who: { staff: ['barista', 'warehouse'] }, answers: { 200: ['the ingredient', ingredientSchema], 400: invalid, 404: ['the café has no such ingredient', 'problem'] } },
  },
  '/coffee/orders': {
    post: placing('Order coffee; prices come from the menu', 'coffee', placeCoffeeOrderSchema, 'the key reused with another body', '/coffee/orders', 'coffee order', {
      pickup: 'the customer has the drinks',
      cancel: 'cancel while no barista has started',
    }),
  },
  '/coffee/orders/{orderId}': { get: { summary: 'The coffee order as its workflow last published it', tag: 'coffee', who: 'customers', answers: { 200: ['the order', coffeeViewSchema], 400: invalid, 404: notFound, 503: unavailable } } },
  '/coffee/orders/{orderId}/events': { get: { summary: 'The coffee order, live, until it ends', tag: 'coffee', who: 'customers', answers: { 200: ['Server-Sent Events: `view` (the order), `problem`, `end`', { events: coffeeViewSchema }], 400: invalid } } },
  '/coffee/orders/{orderId}/claim': { post: orderAction('Claim a queued order; the barista is the one the token names', 'staff', { staff: ['barista'] }, coffeeViewSchema) },
  '/coffee/orders/{orderId}/ready': { post: orderAction('The drinks are made', 'staff', { staff: ['barista'] }, coffeeViewSchema) },
  '/coffee/orders/{orderId}/fail': { post: orderAction('The drinks cannot be made: the customer is refunded', 'staff', { staff: ['barista'] }, coffeeViewSchema, failBodySchema) },
  '/coffee/orders/{orderId}/pickup': { post: orderAction('The customer has the drinks', 'coffee', 'customers', coffeeViewSchema) },
  '/coffee/orders/{orderId}/cancel': { post: orderAction('Cancel while no barista has started: refunded', 'coffee', 'customers', coffeeViewSchema) },
  '/coffee/queue': { get: { summary: 'Orders queued and being made, oldest first', tag: 'staff', who: { staff: ['barista'] }, answers: { 200: ['the queue', queueSchema], 503: unavailable } } },
  '/coffee/board/events': { get: { summary: 'The barista board, live: queued, being made and ready, oldest first', tag: 'staff', who: { staff: ['barista'] }, answers: { 200: ['Server-Sent Events: `view` ({ claimSlaSeconds, orders }), `problem`', { events: boardSchema }] } } },
  '/outbox/failed': { get: { summary: 'Dead letters: messages the mail relay gave up on, with their last error', tag: 'staff', who: { staff: [] }, answers: { 200: ['the dead letters, oldest first', deadLettersSchema] } } },
  '/outbox/{notificationId}/retry': {
    post: { summary: 'Send a dead letter again, its attempts counted afresh', tag: 'staff', who: { staff: [] }, answers: { 200: ['back in line', z.object({ notificationId: z.string(), status: z.literal('PENDING') })], 404: ['no such dead letter', 'problem'] } },
  },
  '/codec/decode': {
    post: { summary: "Temporal's remote codec: open sealed payloads (for the Web UI and the CLI)", tag: 'staff', who: { staff: ['barista', 'warehouse'] }, body: payloadsSchema, headers: { 'X-Namespace': { schema: z.string(), description: 'the namespace the payloads come from' } }, answers: { 200: ['the payloads, opened', payloadsSchema], 400: invalid, 422: ['a payload could not be opened', 'problem'] } },
    options: { summary: "CORS preflight for the Web UI's origin", tag: 'staff', who: 'anyone', answers: { 204: ['allowed methods and headers', 'text'] } },
  },
  '/codec/encode': {
    post: { summary: "Temporal's remote codec: seal payloads", tag: 'staff', who: { staff: ['barista', 'warehouse'] }, body: payloadsSchema, headers: { 'X-Namespace': { schema: z.string(), description: 'the namespace the payloads go to' } }, answers: { 200: ['the payloads, sealed', payloadsSchema], 400: invalid, 422: ['a payload could not be sealed', 'problem'] } },
    options: { summary: "CORS preflight for the Web UI's origin", tag: 'staff', who: 'anyone', answers: { 204: ['allowed methods and headers', 'text'] } },
  },
  '/staff/sign-in': {
    get: { summary: 'A page to sign in with a staff token (for the Web UI to decode through the codec)', tag: 'pages', who: 'anyone', answers: { 200: ['the page', 'html'] } },
    post: { summary: 'Sign in: the token (form field `token`) becomes a cookie for /codec', tag: 'pages', who: 'anyone', answers: { 200: ['signed in', 'html'], 401: ['not a valid token', 'html'] } },
  },
  '/': { get: { summary: "The customer's page: the menu, an order form, the order live", tag: 'pages', who: 'anyone', answers: { 200: ['the page', 'html'] } } },
  '/barista': { get: { summary: 'The barista board', tag: 'pages', who: 'anyone', answers: { 200: ['the page', 'html'] } } },
  '/track/orders/{orderId}': { get: { summary: "An order's page: its saga, live", tag: 'pages', who: 'anyone', answers: { 200: ['the page', 'html'] } } },
  '/track/coffee/orders/{orderId}': { get: { summary: "A coffee order's page: its saga, live", tag: 'pages', who: 'anyone', answers: { 200: ['the page', 'html'] } } },
  '/openapi.json': { get: { summary: 'This document', tag: 'operations', who: 'anyone', answers: { 200: ['OpenAPI 3.2', 'text'] } } },
  '/docs': { get: { summary: 'This document, as a page to read', tag: 'pages', who: 'anyone', answers: { 200: ['the page', 'html'] } } },
};

const pathParameters: Record<string, z.ZodType> = { sku: skuSchema, orderId: orderIdSchema, name: ingredientNameSchema, notificationId: z.string() };

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

function operationObject(path: string, op: Operation) {
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
    ...[...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: json(pathParameters[name!]!) })),
    ...Object.entries(op.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: h.required ?? false, description: h.description, schema: json(h.schema) })),
  ];
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: !(op.body instanceof z.ZodOptional), content: { 'application/json': { schema: json(op.body) } } } } : {}),
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

export function openApiDocument() {
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
    paths: Object.fromEntries(Object.entries(operations).map(([path, ops]) => [path, Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, operationObject(path, op)]))])),
    components: {
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A staff token from `npm run --silent staff:token -- --name N --role R`' },
        carrierSignature: { type: 'apiKey', in: 'header', name: 'X-Carrier-Signature', description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with CARRIER_WEBHOOK_SECRET; at most 5 minutes old' },
      },
    },
  };
}
