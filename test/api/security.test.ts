// Who may do what over HTTP: staff tokens and their roles, the carrier's signature, the codec for
// the Web UI, and the protections every public endpoint has (body limit, rate limit, headers).
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffTokens } from '../../src/platform/security/staff-tokens';
import { signPayload } from '../../src/platform/security/webhook-signature';
import { uniqueId } from '../support/database';
import { staffToken, testCodec, testSecrets } from '../support/secrets';
import { type Answer, eventually, expectProblem, HttpClient, orderFor, serveApi, startTestApi, TEMPORAL_UI_URL, type TestApi, testSecurity } from './helpers';

let api: TestApi;
let customer: HttpClient;

beforeAll(async () => {
  api = await startTestApi();
  customer = new HttpClient(api.http.baseUrl, { as: 'customer' });
});
afterAll(() => api?.stop());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const asRole = async (role: 'barista' | 'warehouse' | 'admin') => bearer(await staffToken(role));

/** Every staff endpoint, the roles that may call it besides admin, and a body it would accept. */
const staffEndpoints: { method: string; path: string; roles: string[]; json?: unknown }[] = [
  { method: 'PUT', path: '/inventory/SEC-1', roles: ['warehouse'], json: { name: 'Lamp', priceCents: 100, available: 1 } },
  { method: 'GET', path: '/inventory/SEC-1', roles: ['warehouse'] },
  { method: 'PUT', path: '/coffee/ingredients/milk', roles: ['barista', 'warehouse'], json: { available: 100_000 } },
  { method: 'GET', path: '/coffee/ingredients/milk', roles: ['barista', 'warehouse'] },
  { method: 'GET', path: '/coffee/queue', roles: ['barista'] },
  { method: 'POST', path: '/coffee/orders/no-such/claim', roles: ['barista'] },
  { method: 'POST', path: '/coffee/orders/no-such/ready', roles: ['barista'] },
  { method: 'POST', path: '/coffee/orders/no-such/fail', roles: ['barista'], json: { reason: 'x' } },
  { method: 'POST', path: '/codec/decode', roles: ['barista', 'warehouse'], json: { payloads: [] } },
  { method: 'GET', path: '/outbox/failed', roles: [] },
  { method: 'POST', path: '/outbox/no-such/retry', roles: [] },
  { method: 'GET', path: '/reconciliation/latest', roles: [] },
  { method: 'POST', path: '/codec/encode', roles: ['barista', 'warehouse'], json: { payloads: [] } },
];

describe('staff endpoints', () => {
  it.each(staffEndpoints)('$method $path: 401 without a token, 403 for another role, through for $roles and admin', async ({ method, path, roles, json }) => {
    const none = await customer.send(method, path, { json });
    expectProblem(none, 401);
    expect(none.body.detail).toMatch(/staff/);

    for (const role of ['barista', 'warehouse', 'admin'] as const) {
      const answer = await customer.send(method, path, { json, headers: await asRole(role) });
      if (role === 'admin' || roles.includes(role)) expect([200, 404], `${role}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
      else expectProblem(answer, 403);
    }
  });

  it('answers 401 with a Bearer challenge to a forged, an expired, a malformed and a role-less token, and to another scheme', async () => {
    const forged = await new StaffTokens('another shop entirely, another secret 0123').mint({ name: 'Mallory', role: 'admin' });
    const key = new TextEncoder().encode(testSecrets.STAFF_TOKEN_SECRET);
    const claims = { iss: 'temporal-fulfillment', aud: 'staff', sub: 'Ada' };
    const expired = await new SignJWT({ ...claims, role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(1_700_000_000).setExpirationTime(1_700_003_600).sign(key);
    const roleless = await new SignJWT({ ...claims, role: 'owner' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
    const tampered = (await staffToken('barista')).replace(/\.([^.]+)\./, (_m, payload: string) => `.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url')}.`);

    const cases: [string, Record<string, string>, RegExp][] = [
      ['forged', bearer(forged), /not one this shop signed/],
      ['tampered', bearer(tampered), /not one this shop signed/],
      ['expired', bearer(expired), /expired/],
      ['role-less', bearer(roleless), /no known role/],
      ['malformed', bearer('not-a-jwt'), /not one this shop signed/],
      ['basic', { authorization: 'Basic YWRtaW46YWRtaW4=' }, /Bearer/],
    ];
    for (const [what, headers, detail] of cases) {
      const answer = await fetch(new URL('/coffee/queue', api.http.baseUrl), { headers });
      const body = (await answer.json()) as { detail: string };
      expect([what, answer.status]).toEqual([what, 401]);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(body.detail, what).toMatch(detail);
    }
  });

  it("opens the board's live stream to baristas only: 401 without a token, 403 for the warehouse", async () => {
    const open = async (headers: Record<string, string>) => {
      const controller = new AbortController();
      const res = await fetch(new URL('/coffee/board/events', api.http.baseUrl), { headers, signal: controller.signal });
      controller.abort();
      return res;
    };
    expect((await open({})).status).toBe(401);
    expect((await open(await asRole('warehouse'))).status).toBe(403);
    const barista = await open(await asRole('barista'));
    expect(barista.status).toBe(200);
    expect(barista.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('lets customers place, read, cancel and pick up without any token', async () => {
    for (const name of ['cups', 'tea-bags']) expect((await api.http.put(`/coffee/ingredients/${name}`, { available: 100 })).status).toBe(200);
    expect((await customer.get('/coffee/menu')).status).toBe(200);
    const coffee = uniqueId('sec-cof');
    const placed = await customer.send('POST', '/coffee/orders', { json: { customerName: 'Ada', items: [{ drink: 'tea', size: 'small', quantity: 1 }], paymentToken: 'tok_ok' }, headers: { 'Idempotency-Key': coffee } });
    expect(placed.status).toBe(202);
    await eventually(() => customer.get(`/coffee/orders/${coffee}`), (o) => o.status === 'QUEUED');
    expect((await customer.post(`/coffee/orders/${coffee}/cancel`)).status).toBe(200);
    expectProblem(await customer.post(`/coffee/orders/${coffee}/pickup`), 409);
  });
});

describe("the carrier's webhook", () => {
  let orderId: string;
  beforeAll(async () => {
    const sku = uniqueId('sec-sku');
    expect((await api.http.put(`/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 5 })).status).toBe(200);
    orderId = uniqueId('sec-order');
    expect((await api.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': orderId })).status).toBe(202);
    await eventually(() => api.http.get(`/orders/${orderId}`), (o) => o.status === 'SHIPMENT_CREATED');
  });

  const postEvent = (body: string, signature?: string) =>
    customer.send('POST', `/orders/${orderId}/shipment-events`, { raw: body, headers: signature ? { 'X-Carrier-Signature': signature } : {} });
  const dispatched = JSON.stringify({ event: 'DISPATCHED' });
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses unsigned, stale, tampered and wrongly signed events with 401, and the order does not move', async () => {
    const cases: [string, Answer][] = [
      ['unsigned', await postEvent(dispatched)],
      ['stale', await postEvent(dispatched, signPayload(testSecrets.CARRIER_WEBHOOK_SECRET, dispatched, now() - 301))],
      ['from the future', await postEvent(dispatched, signPayload(testSecrets.CARRIER_WEBHOOK_SECRET, dispatched, now() + 301))],
      ['tampered', await postEvent(JSON.stringify({ event: 'DELIVERED' }), signPayload(testSecrets.CARRIER_WEBHOOK_SECRET, dispatched))],
      ['another secret', await postEvent(dispatched, signPayload('not the carrier secret at all', dispatched))],
      ['garbled header', await postEvent(dispatched, 'v1=abc')],
    ];
    for (const [what, answer] of cases) {
      expect([what, answer.status]).toEqual([what, 401]);
      expect(answer.contentType).toMatch(/problem\+json/);
    }
    expect((await api.http.get(`/orders/${orderId}`)).body.status).toBe('SHIPMENT_CREATED');
  });

  it('takes a signed event, and the same signed event again is harmless', async () => {
    const signature = signPayload(testSecrets.CARRIER_WEBHOOK_SECRET, dispatched, now() - 120);
    expect((await postEvent(dispatched, signature)).status).toBe(202);
    await eventually(() => api.http.get(`/orders/${orderId}`), (o) => o.status === 'DISPATCHED');

    const again = await postEvent(dispatched, signature);

    expect([202, 409]).toContain(again.status);
    const order = (await api.http.get(`/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'DISPATCHED', payment: { status: 'CAPTURED' } });
    expect(order.steps.filter((s: { name: string }) => s.name === 'capturePayment')).toHaveLength(1);
  });
});

describe('the codec for the Web UI', () => {
  const sealed = async (value: unknown) => {
    const [payload] = await testCodec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) }]);
    return { metadata: Object.fromEntries(Object.entries(payload!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(payload!.data!).toString('base64') };
  };

  it('opens sealed payloads for staff, in the remote codec protocol, and leaves plaintext ones as they are', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') };
    const answer = await customer.send('POST', '/codec/decode', { json: { payloads: [await sealed({ email: 'ada@example.com' }), plain] }, headers: { ...(await asRole('barista')), 'X-Namespace': 'default' } });

    expect(answer.status).toBe(200);
    const [opened, untouched] = answer.body.payloads;
    expect(Buffer.from(opened.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(opened.data, 'base64').toString())).toEqual({ email: 'ada@example.com' });
    expect(untouched).toEqual(plain);
  });

  it('seals what it is asked to encode, and what it sealed opens again', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"name":"Ada"}').toString('base64') };
    const staff = await asRole('admin');
    const encoded = await customer.send('POST', '/codec/encode', { json: { payloads: [plain] }, headers: staff });
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded.body.payloads[0].data, 'base64').toString()).not.toContain('Ada');

    const decoded = await customer.send('POST', '/codec/decode', { json: encoded.body, headers: staff });
    expect(decoded.body.payloads).toEqual([plain]);
  });

  it('refuses another namespace, a payload it cannot open, and a body that is not payloads', async () => {
    const staff = await asRole('admin');
    expectProblem(await customer.send('POST', '/codec/decode', { json: { payloads: [] }, headers: { ...staff, 'X-Namespace': 'elsewhere' } }), 400);
    const broken = await sealed('x');
    broken.data = Buffer.from(Buffer.from(broken.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64');
    expectProblem(await customer.send('POST', '/codec/decode', { json: { payloads: [broken] }, headers: staff }), 422);
    expectProblem(await customer.send('POST', '/codec/decode', { json: { payloads: 'all of them' }, headers: staff }), 400, 'payloads');
  });

  it("answers the Web UI's preflight for its origin only, with credentials allowed", async () => {
    const preflight = (origin: string) =>
      fetch(new URL('/codec/decode', api.http.baseUrl), { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' } });

    const fromUi = await preflight(TEMPORAL_UI_URL);
    expect(fromUi.status).toBe(204);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI_URL);
    expect(fromUi.headers.get('access-control-allow-credentials')).toBe('true');
    expect(fromUi.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);

    const fromElsewhere = await preflight('http://evil.example');
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('takes the cookie a browser gets by signing in with a token, and refuses a bad token at sign-in', async () => {
    const form = (token: string) => fetch(new URL('/staff/sign-in', api.http.baseUrl), { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    expect((await fetch(new URL('/staff/sign-in', api.http.baseUrl))).status).toBe(200);
    expect((await form('forged')).status).toBe(401);

    const signedIn = await form(await staffToken('admin', 'Grace'));
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/codec/);

    const viaCookie = await customer.send('POST', '/codec/decode', { json: { payloads: [await sealed(1)] }, headers: { cookie: cookie.split(';')[0]!, origin: TEMPORAL_UI_URL } });
    expect(viaCookie.status).toBe(200);
    // The cookie opens the codec only: no other staff endpoint takes it.
    expectProblem(await customer.send('GET', '/coffee/queue', { headers: { cookie: cookie.split(';')[0]! } }), 401);
  });
});

describe('protections', () => {
  it('answers a body over 1 MB with 413, a problem document and no stack trace', async () => {
    const answer = await customer.send('POST', '/coffee/orders', { raw: JSON.stringify({ customerName: 'x'.repeat(1024 * 1024 + 10) }) });

    expectProblem(answer, 413);
    expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it("sends helmet's security headers and no X-Powered-By", async () => {
    const res = await fetch(new URL('/coffee/menu', api.http.baseUrl));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it("limits each client's requests to the customers' endpoints, answering 429 with Retry-After; staff endpoints are not counted", async () => {
    const limited = await serveApi({ client: api.temporal.client, db: api.db, services: api.services, taskQueue: uniqueId('tq'), security: testSecurity({ rateLimitPerMinute: 3 }) });
    try {
      const client = new HttpClient(limited.url, { as: 'customer' });
      const admin = await asRole('admin');
      for (let i = 0; i < 3; i++) expect((await client.get('/coffee/menu')).status).toBe(200);
      expect((await client.send('GET', '/coffee/ingredients/milk', { headers: admin })).status).not.toBe(429);

      const refused = await client.send('POST', '/coffee/orders', { json: {} });

      expectProblem(refused, 429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.body.detail).toMatch(/3 requests a minute/);
    } finally {
      await limited.close();
    }
  });
});
