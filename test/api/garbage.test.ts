// Property-based garbage: generated bodies, headers and paths at every endpoint. Never a 5xx;
// every 4xx is a problem document that says what is wrong; bad input starts no workflow.
import { WorkflowNotFoundError } from '@temporalio/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCoffeeOrderSchema } from '../../src/coffee/schemas';
import { placeOrderSchema } from '../../src/orders/schemas';
import { uniqueId } from '../support/database';
import { type Answer, HttpClient, orderFor, startTestApi, type TestApi } from './helpers';

let api: TestApi;
let sku: string;
beforeAll(async () => {
  api = await startTestApi();
  sku = uniqueId('SKU');
  await api.http.put(`/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 1000 });
});
afterAll(() => api?.stop());

const RUNS = 60;

/** What every answer must be: not a server error, and a 4xx says what is wrong. */
function expectNoServerError(answer: Answer): void {
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
  if (answer.status < 400) return;
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ title: expect.any(String), detail: expect.any(String), status: answer.status });
  if (answer.status === 400) {
    expect(answer.body.errors.length).toBeGreaterThan(0);
    for (const e of answer.body.errors) expect(e).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
}

async function workflowExists(workflowId: string): Promise<boolean> {
  return api.temporal.client.workflow
    .getHandle(workflowId)
    .describe()
    .then(
      () => true,
      (err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      },
    );
}

/** A valid body with one field, at any depth, replaced by anything at all. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (value: unknown, at: string[]) => {
    paths.push(at);
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.anything()).map(([at, replacement]) => {
    const copy = structuredClone(valid);
    let node = copy as Record<string, unknown>;
    for (const key of at.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[at.at(-1)!] = replacement;
    return copy;
  });
}

const anyBody = (valid: Record<string, unknown>) => fc.oneof(fc.anything(), fc.json().map((j) => JSON.parse(j) as unknown), mutated(valid));

describe('garbage at POST /orders and POST /coffee/orders', () => {
  it.each([
    ['/orders', 'order', placeOrderSchema, () => orderFor([{ sku, quantity: 1 }])],
    ['/coffee/orders', 'coffee', placeCoffeeOrderSchema, () => ({ customerName: 'Ada', items: [{ drink: 'latte', size: 'medium', quantity: 1 }], paymentToken: 'tok_ok' })],
  ] as const)('%s: no 5xx, every refusal names the field, and a refused request starts nothing', async (route, prefix, schema, valid) => {
    await fc.assert(
      fc.asyncProperty(anyBody(valid()), async (body) => {
        const key = uniqueId('garbage');
        const answer = await api.http.send('POST', route, { json: body, headers: { 'Idempotency-Key': key } });
        expectNoServerError(answer);
        if (answer.status === 202) expect(schema.safeParse(body).success).toBe(true);
        else expect(await workflowExists(`${prefix}-${key}`)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('garbage in headers, paths and the other bodies', () => {
  it('an Idempotency-Key of any printable text is taken or refused by name, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...'azAZ09-_ .!/:%é'.split('')), minLength: 0, maxLength: 120 }), async (key) => {
        const answer = await api.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': key });
        expectNoServerError(answer);
        if (answer.status === 400) expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain('Idempotency-Key');
      }),
      { numRuns: RUNS },
    );
  });

  const segment = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('..', '%', '%00', '%zz', 'a'.repeat(300), uniqueId('x')));
  const actions = [
    ['GET', '/orders/:id'],
    ['POST', '/orders/:id/cancel'],
    ['POST', '/orders/:id/shipment-events'],
    ['GET', '/inventory/:id'],
    ['PUT', '/inventory/:id'],
    ['GET', '/coffee/orders/:id'],
    ['PUT', '/coffee/ingredients/:id'],
    ['GET', '/coffee/ingredients/:id'],
    ...['claim', 'ready', 'fail', 'pickup', 'cancel'].map((a) => ['POST', `/coffee/orders/:id/${a}`]),
    ['POST', '/codec/decode'],
    ['POST', '/codec/encode'],
  ] as const;

  it('any path segment and body at every other endpoint: no 5xx, and refusals say why', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...actions), segment, fc.option(fc.anything(), { nil: undefined }), async ([method, template], id, body) => {
        const path = template.replace(':id', encodeURIComponent(id));
        const answer = await api.http.send(method, path, body === undefined || method === 'GET' ? {} : { json: body });
        expectNoServerError(answer);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('any Authorization or X-Carrier-Signature header at the staff endpoints and the webhook: 401 or through, never a 5xx', async () => {
    const headerText = fc.string({ unit: fc.constantFrom(...'azAZ09-_.=,:+/ '.split('')), maxLength: 200 });
    const header = fc.oneof(
      headerText.map((v) => ({ authorization: v })),
      headerText.map((v) => ({ authorization: `Bearer ${v}` })),
      headerText.map((v) => ({ 'x-carrier-signature': v })),
      fc.tuple(fc.integer(), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), maxLength: 70 })).map(([t, v]) => ({ 'x-carrier-signature': `t=${t},v1=${v}` })),
    );
    const targets = [
      ['GET', '/coffee/queue'],
      ['PUT', `/inventory/${sku}`],
      ['POST', '/codec/decode'],
      ['POST', `/orders/${uniqueId('o')}/shipment-events`],
    ] as const;
    const customer = new HttpClient(api.http.baseUrl, { as: 'customer' });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), header, async ([method, path], headers) => {
        const answer = await customer.send(method, path, { json: method === 'GET' ? undefined : { event: 'DISPATCHED', payloads: [] }, headers });
        expectNoServerError(answer);
        expect(answer.status).toBe(401);
      }),
      { numRuns: RUNS },
    );
  });

  it('a body that is not JSON at all is refused with a 400 at every endpoint that takes one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/orders', '/coffee/orders', `/inventory/${sku}`), fc.string({ minLength: 1, maxLength: 60 }), async (path, raw) => {
        fc.pre(!isJson(raw));
        const answer = await api.http.send(path.startsWith('/inventory') ? 'PUT' : 'POST', path, { raw });
        expectNoServerError(answer);
        expect(answer.status).toBe(400);
      }),
      { numRuns: RUNS },
    );
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
