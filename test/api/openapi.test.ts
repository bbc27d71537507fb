// The OpenAPI document is the contract: every route the app serves is in it, and what the API
// really answers matches what it documents, status by status.
import { Ajv2020 } from 'ajv/dist/2020';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, shopEndpoints } from '../../src/main/app';
import { openApiDocument } from '../../src/platform/http/openapi';
import { reconcileShop } from '../../src/workflows';
import { uniqueId } from '../support/database';
import { staffToken } from '../support/secrets';
import { type Answer, eventually, HttpClient, orderFor, startTestApi, TEMPORAL_UI_URL, type TestApi, testSecurity } from './helpers';

const doc = openApiDocument(shopEndpoints());
type Doc = typeof doc;
interface Media {
  schema?: object;
  /** A stream's events (OpenAPI 3.2): each one `{ event, data }`, `data` JSON whose schema is its `contentSchema`. */
  itemSchema?: { oneOf: { properties: { event: { const: string }; data: { contentSchema: object } } }[] };
}
interface Link {
  operationRef: string;
  parameters: Record<string, string>;
}
type Operation = Doc['paths'][string][string] & { responses: Record<string, { content?: Record<string, Media>; links?: Record<string, Link> }> };

/** The operation an OpenAPI operationRef (`#/paths/~1orders~1{orderId}/get`) points at. */
function operationAt(ref: string): { path: string; method: string } {
  const [, encodedPath, method] = /^#\/paths\/([^/]+)\/(\w+)$/.exec(ref) ?? [];
  return { path: decodeURIComponent(encodedPath ?? '').replace(/~1/g, '/').replace(/~0/g, '~'), method: method ?? '' };
}

/** A Server-Sent Events text as its events: `{ event, data }` each. */
function serverSentEvents(text: string): { event: string; data: string }[] {
  return text
    .split('\n\n')
    .map((block) => Object.fromEntries(block.split('\n').flatMap((line) => (/^(event|data): /.test(line) ? [[line.slice(0, line.indexOf(':')), line.slice(line.indexOf(': ') + 2)]] : []))))
    .filter((e): e is { event: string; data: string } => typeof e.event === 'string');
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

/** Every (method, path) the Express app routes, paths in OpenAPI's `{param}` form. */
function servedRoutes(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push(`${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      else if (layer.handle?.stack) walk(layer.handle.stack as typeof stack);
    }
  };
  walk((app as unknown as { router: { stack: Parameters<typeof walk>[0] } }).router.stack);
  return routes;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with both security schemes, and every operation says what each status means', () => {
    expect(doc.openapi).toBe('3.2.0');
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['staffToken', 'carrierSignature']);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [string, Operation][]) {
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        for (const response of Object.values(op.responses)) expect((response as { description: string }).description).not.toBe('');
      }
    }
  });

  it('describes every route the app serves, and the app serves every operation it describes', () => {
    const app = createApp({ client: api.temporal.client, db: api.db, services: api.services, taskQueue: 'tq', namespace: 'default', temporalUiUrl: TEMPORAL_UI_URL, coffeeClaimSlaSeconds: 300, dispatchDeadlineHours: 72, security: testSecurity() });
    const served = new Set(servedRoutes(app));
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`)));

    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    // Preflights are answered by the codec's CORS middleware, not by a route.
    expect([...documented].filter((r) => !served.has(r) && !r.startsWith('options '))).toEqual([]);
    expect(served.size).toBeGreaterThanOrEqual(30);
  });

  it('links each answer that creates an order to its reads, by operations it has and a field the answer holds', () => {
    const withLinks = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, Operation>).flatMap(([method, op]) => Object.entries(op.responses).flatMap(([status, r]) => Object.entries(r.links ?? {}).map(([name, l]) => ({ from: `${method} ${path} ${status}`, name, l, r })))),
    );
    expect(withLinks.map((x) => x.from)).toEqual(expect.arrayContaining(['post /orders 202', 'post /coffee/orders 202']));
    for (const { from, name, l, r } of withLinks) {
      const { path, method } = operationAt(l.operationRef);
      expect((doc.paths as Record<string, Record<string, unknown>>)[path]?.[method], `${from} → ${name}`).toBeDefined();
      const field = /^\$response\.body#\/(\w+)$/.exec(l.parameters.orderId ?? '')?.[1];
      expect(Object.keys((r.content?.['application/json']?.schema as { properties: object }).properties)).toContain(field);
    }
  });

  it('describes each event of each live stream: its name and the schema of its data', () => {
    const streams = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, Operation>).flatMap(([, op]) => Object.values(op.responses).flatMap((r) => (r.content?.['text/event-stream'] ? [{ path, media: r.content['text/event-stream'] }] : []))),
    );
    expect(streams.map((s) => s.path)).toEqual(['/orders/{orderId}/events', '/coffee/orders/{orderId}/events', '/coffee/board/events']);
    for (const { media } of streams) {
      expect(media.itemSchema?.oneOf.map((e) => e.properties.event.const)).toEqual(['view', 'problem', 'end']);
      expect(media.itemSchema?.oneOf[0]!.properties.data.contentSchema).toHaveProperty('properties');
    }
  });

  it('is served at /openapi.json, and read as a page at /docs', async () => {
    const served = await api.http.get('/openapi.json');
    expect(served.body).toEqual(JSON.parse(JSON.stringify(doc)));
    const page = await fetch(new URL('/docs', api.http.baseUrl));
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/web/docs.js');
  });
});

describe("the API's real answers", () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const templates = Object.keys(doc.paths).map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`) }));
  const checked: string[] = [];

  /** The answer's status is documented for its operation, and its body matches the documented schema. */
  function expectDocumented(method: string, path: string, answer: Answer): void {
    const template = templates.find((t) => t.pattern.test(path.split('?')[0]!))?.template;
    expect(template, `${method} ${path} is documented`).toBeDefined();
    const op = (doc.paths as Record<string, Record<string, Operation>>)[template!]![method.toLowerCase()];
    expect(op, `${method} ${template}`).toBeDefined();
    const response = op!.responses[String(answer.status)];
    expect(response, `${method} ${template} documents ${answer.status}: ${JSON.stringify(answer.body)}`).toBeDefined();
    const [mediaType, media] = Object.entries(response!.content ?? {})[0] ?? [];
    if (mediaType?.includes('json')) {
      expect(answer.contentType).toContain(mediaType);
      const valid = ajv.validate(media!.schema!, answer.body);
      expect(valid, `${method} ${template} ${answer.status}: ${ajv.errorsText()} in ${JSON.stringify(answer.body).slice(0, 400)}`).toBe(true);
    }
    checked.push(`${method} ${template} ${answer.status}`);
  }

  async function call(client: HttpClient, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const answer = await client.send(method, path, { json, headers });
    expectDocumented(method, path, answer);
    return answer;
  }

  it('match their documented schema for every endpoint and its main statuses', async () => {
    const shop = api.http;
    const customer = new HttpClient(shop.baseUrl, { as: 'customer' });
    const barista = { authorization: `Bearer ${await staffToken('barista', 'Ana')}` };

    await call(customer, 'GET', '/healthz');
    await call(customer, 'GET', '/readyz');
    await call(customer, 'GET', '/coffee/menu');
    await call(customer, 'GET', '/openapi.json');

    const sku = uniqueId('api-sku');
    await call(shop, 'PUT', `/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 5 });
    await call(shop, 'GET', `/inventory/${sku}`);
    await call(shop, 'GET', `/inventory/${uniqueId('none')}`);
    await call(shop, 'PUT', `/inventory/${sku}`, { name: 'Lamp', priceCents: 'free' });
    await call(customer, 'PUT', `/inventory/${sku}`, { name: 'Lamp', priceCents: 1, available: 1 });
    await call(customer, 'GET', `/inventory/${sku}`, undefined, barista);

    const orderId = uniqueId('api-order');
    await call(customer, 'POST', '/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': orderId });
    await call(customer, 'POST', '/orders', orderFor([{ sku, quantity: 2 }]), { 'Idempotency-Key': orderId });
    await call(customer, 'POST', '/orders', { customerId: '' });
    await call(customer, 'POST', '/orders', orderFor([{ sku: uniqueId('unknown'), quantity: 1 }]));
    await eventually(() => shop.get(`/orders/${orderId}`), (o) => o.status === 'SHIPMENT_CREATED');
    await call(customer, 'GET', `/orders/${orderId}`);
    await call(customer, 'GET', `/orders/${uniqueId('none')}`);
    await call(customer, 'GET', '/orders/not%20an%20id');
    await call(customer, 'POST', `/orders/${orderId}/shipment-events`, { event: 'DISPATCHED' });
    await call(shop, 'POST', `/orders/${orderId}/shipment-events`, { event: 'DISPATCHED' });
    await call(shop, 'POST', `/orders/${orderId}/shipment-events`, { event: 'LOST' });
    await call(customer, 'POST', `/orders/${orderId}/cancel`);
    await call(shop, 'POST', `/orders/${orderId}/shipment-events`, { event: 'DELIVERED' });
    await eventually(() => shop.get(`/orders/${orderId}`), (o) => o.status === 'COMPLETED');
    await call(customer, 'GET', `/orders/${orderId}`);
    await call(shop, 'POST', `/orders/${uniqueId('none')}/shipment-events`, { event: 'DELIVERED' });
    const cancelled = uniqueId('api-cancel');
    await call(customer, 'POST', '/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': cancelled });
    await eventually(() => shop.get(`/orders/${cancelled}`), (o) => o.status === 'SHIPMENT_CREATED');
    await call(customer, 'POST', `/orders/${cancelled}/cancel`, { reason: 'changed my mind' });

    for (const name of ['espresso-beans', 'milk', 'cups']) await call(shop, 'PUT', `/coffee/ingredients/${name}`, { available: 10_000 });
    await call(customer, 'GET', '/coffee/ingredients/milk', undefined, barista);
    await call(shop, 'GET', '/coffee/ingredients/saffron');
    const coffee = uniqueId('api-coffee');
    await call(customer, 'POST', '/coffee/orders', { customerName: 'Ada', items: [{ drink: 'latte', size: 'large', quantity: 1 }], paymentToken: 'tok_ok' }, { 'Idempotency-Key': coffee });
    await call(customer, 'POST', '/coffee/orders', { customerName: 'Ada', items: [] });
    await eventually(() => shop.get(`/coffee/orders/${coffee}`), (o) => o.status === 'QUEUED');
    await call(customer, 'GET', '/coffee/queue', undefined, barista);
    await call(customer, 'POST', `/coffee/orders/${coffee}/pickup`);
    await call(customer, 'POST', `/coffee/orders/${coffee}/claim`, undefined, barista);
    await call(customer, 'POST', `/coffee/orders/${coffee}/claim`, undefined, barista);
    await call(customer, 'POST', `/coffee/orders/${coffee}/cancel`);
    await call(customer, 'POST', `/coffee/orders/${coffee}/fail`, { reason: '' }, barista);
    await call(customer, 'POST', `/coffee/orders/${coffee}/ready`, undefined, barista);
    await call(customer, 'POST', `/coffee/orders/${coffee}/pickup`);
    await call(customer, 'GET', `/coffee/orders/${coffee}`);
    await call(customer, 'GET', `/coffee/orders/${uniqueId('none')}`);
    // The live stream of an order that has ended: its last view, then `end`, and it closes.
    const stream = await fetch(new URL(`/coffee/orders/${coffee}/events`, shop.baseUrl));
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await stream.text();
    expect(events).toMatch(/event: view\ndata: \{[^\n]*"status":"PICKED_UP"/);
    expect(events.trimEnd().endsWith('event: end\ndata: {}')).toBe(true);
    // Each event is one the document describes, its data matching the schema given for it.
    const documented = (doc.paths['/coffee/orders/{orderId}/events'] as Record<string, Operation>).get!.responses['200']!.content!['text/event-stream']!.itemSchema!;
    for (const { event, data } of serverSentEvents(events)) {
      const described = documented.oneOf.find((e) => e.properties.event.const === event);
      expect(described, `event ${event}`).toBeDefined();
      expect(ajv.validate(described!.properties.data.contentSchema, JSON.parse(data)), `${event}: ${ajv.errorsText()}`).toBe(true);
    }
    const failed = uniqueId('api-fail');
    await call(customer, 'POST', '/coffee/orders', { customerName: 'Alan', items: [{ drink: 'espresso', size: 'small', quantity: 1 }], paymentToken: 'tok_ok' }, { 'Idempotency-Key': failed });
    await eventually(() => shop.get(`/coffee/orders/${failed}`), (o) => o.status === 'QUEUED');
    await call(customer, 'POST', `/coffee/orders/${failed}/claim`, undefined, barista);
    await call(customer, 'POST', `/coffee/orders/${failed}/fail`, { reason: 'the grinder jammed' }, barista);

    const encoded = await call(shop, 'POST', '/codec/encode', { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('1').toString('base64') }] });
    await call(shop, 'POST', '/codec/decode', encoded.body);
    await call(shop, 'POST', '/codec/decode', { payloads: 'none' });
    await call(customer, 'POST', '/codec/decode', { payloads: [] });
    await call(customer, 'POST', '/coffee/orders', undefined, { 'content-type': 'application/json' });

    // The reconciliation's report, for admins: none before the first run, then the run's.
    await call(shop, 'GET', '/reconciliation/latest');
    await api.temporal.client.workflow.execute(reconcileShop, { taskQueue: api.taskQueue, workflowId: uniqueId('reconcile') });
    await call(shop, 'GET', '/reconciliation/latest');
    await call(customer, 'GET', '/reconciliation/latest', undefined, barista);

    // A dead letter, as the relay leaves one: listed for admins, sent again once.
    const { notificationId } = await api.services.notificationOutbox.enqueue({ idempotencyKey: uniqueId('dead'), recipient: 'ada@example.com', template: 'order-failed', data: { orderId: 'X' } });
    await api.services.notificationOutbox.markAttemptFailed(notificationId, 'connect ECONNREFUSED 127.0.0.1:1025', null);
    const dead = await call(shop, 'GET', '/outbox/failed');
    expect(dead.body).toEqual([expect.objectContaining({ notificationId, lastError: 'connect ECONNREFUSED 127.0.0.1:1025' })]);
    await call(shop, 'POST', `/outbox/${notificationId}/retry`);
    await call(shop, 'POST', `/outbox/${notificationId}/retry`);
    await call(customer, 'GET', '/outbox/failed', undefined, barista);

    const big = await customer.send('POST', '/coffee/orders', { raw: JSON.stringify({ customerName: 'x'.repeat(1_100_000) }) });
    expectDocumented('POST', '/coffee/orders', big);

    // What was checked, so a scenario that stops reaching a status shows here.
    expect(new Set(checked).size).toBeGreaterThanOrEqual(40);
  });
});
