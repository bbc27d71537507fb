// The real API over a temporary database, a real worker and the run's Temporal server, spoken to over HTTP.
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ShopDeps } from '../../src/main/deps';
import { type RunningApi, startApiServer } from '../../src/main/server';
import type { Db } from '../../src/platform/db/database';
import type { ApiSecurity } from '../../src/platform/http/deps';
import { credentialHeaders } from '../../src/platform/security/client-credentials';
import { createServices, type Services } from '../../src/services';
import { temporaryDatabase, uniqueId } from '../support/database';
import { shopCredentials, testCodec, testSecrets, testStaffTokens } from '../support/secrets';
import { connectTestTemporal, type RunningWorker, startTestStack, startTestWorker, type TestTemporal } from '../support/temporal';
import { waitFor } from '../support/wait';

export const TEMPORAL_UI_URL = 'http://localhost:8233';

/** What came back over the wire: the status, the media type and the parsed JSON body. */
export interface Answer {
  status: number;
  contentType: string;
  /** The Retry-After header, when the answer has one. */
  retryAfter?: string;
  // Whatever the server sent: tests read it as a client would, without a schema.
  body: any;
}

export interface RequestOptions {
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent verbatim as `application/json`, for bodies that are not valid JSON. */
  raw?: string;
  headers?: Record<string, string>;
}

/**
 * A JSON-over-HTTP client for one running API. By default it plays every part at once, as the
 * shop's own tests need: it sends an admin's staff token and signs the carrier's events. A
 * customer's client (`{ as: 'customer' }`) sends neither.
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly options: { as: 'shop' | 'customer' } = { as: 'shop' },
  ) {}

  async send(method: string, path: string, { json, raw, headers = {} }: RequestOptions = {}): Promise<Answer> {
    const body = raw ?? (json === undefined ? undefined : JSON.stringify(json));
    const credentials = this.options.as === 'shop' ? credentialHeaders(await shopCredentials(), path, body) : {};
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...credentials, ...headers },
      body,
    });
    const [contentType, text] = [res.headers.get('content-type') ?? '', await res.text()];
    const retryAfter = res.headers.get('retry-after') ?? undefined;
    return { status: res.status, contentType, retryAfter, body: text && contentType.includes('json') ? JSON.parse(text) : text || undefined };
  }

  get = (path: string) => this.send('GET', path);
  put = (path: string, json: unknown) => this.send('PUT', path, { json });
  post = (path: string, json?: unknown, headers?: Record<string, string>) => this.send('POST', path, { json, headers });
}

/** The API's checks over the tests' secrets; no rate limit unless a test asks for one. */
export function testSecurity(overrides: Partial<ApiSecurity> = {}): ApiSecurity {
  return {
    staffTokens: testStaffTokens,
    carrierWebhookSecret: testSecrets.CARRIER_WEBHOOK_SECRET,
    codec: testCodec,
    codecOrigins: [TEMPORAL_UI_URL],
    rateLimitPerMinute: 0,
    ...overrides,
  };
}

/** Serves the API over the given dependencies on a free port of 127.0.0.1. */
export async function serveApi(
  deps: Omit<ShopDeps, 'namespace' | 'temporalUiUrl' | 'coffeeClaimSlaSeconds' | 'dispatchDeadlineHours' | 'security'> & { coffeeClaimSlaSeconds?: number; security?: ApiSecurity },
): Promise<RunningApi & { http: HttpClient }> {
  const api = await startApiServer(
    { coffeeClaimSlaSeconds: 300, dispatchDeadlineHours: 72, security: testSecurity(), ...deps, namespace: 'default', temporalUiUrl: TEMPORAL_UI_URL },
    0,
    '127.0.0.1',
  );
  return { ...api, http: new HttpClient(api.url) };
}

export interface TestApi {
  http: HttpClient;
  temporal: TestTemporal;
  /** The worker's task queue, where the API starts workflows. */
  taskQueue: string;
  db: Db;
  services: Services;
  stop: () => Promise<void>;
}

export interface ApiOverWorker {
  temporal: TestTemporal;
  db: Db;
  services: Services;
  /** The worker the API's workflows run on; a test may stop it and start another on its queue. */
  worker: RunningWorker;
  http: HttpClient;
}

/**
 * For a test file that stops and starts the worker under a running API: a database, its services,
 * a worker on its own task queue (over `forWorker(services, db)` when given, to break one of them)
 * and the API in front. Filled in beforeAll; all of it, the worker as it then is, closed in afterAll.
 */
export function useApiOverWorker(forWorker: (services: Services, db: Db) => Services = (services) => services): ApiOverWorker {
  const fixture = {} as ApiOverWorker;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    const { db, close } = await temporaryDatabase();
    closers.push(close);
    Object.assign(fixture, { db, services: createServices(db), temporal: await connectTestTemporal() });
    closers.unshift(() => fixture.temporal.close());
    fixture.worker = await startTestWorker(fixture.temporal, forWorker(fixture.services, db));
    closers.unshift(() => fixture.worker.stop());
    const api = await serveApi({ client: fixture.temporal.client, db, services: fixture.services, taskQueue: fixture.worker.taskQueue });
    closers.unshift(() => api.close());
    fixture.http = api.http;
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });
  return fixture;
}

/** The whole system: database, services, a worker on its own task queue, and the API in front. */
export async function startTestApi(options: { coffeeClaimSlaSeconds?: number } = {}): Promise<TestApi> {
  const stack = await startTestStack();
  const api = await serveApi({ client: stack.temporal.client, db: stack.db, services: stack.services, taskQueue: stack.worker.taskQueue, ...options });
  return {
    http: api.http,
    temporal: stack.temporal,
    taskQueue: stack.worker.taskQueue,
    db: stack.db,
    services: stack.services,
    stop: async () => {
      await api.close();
      await stack.stop();
    },
  };
}

export type Line = { sku: string; quantity: number };
export const address = { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/** A valid POST /orders body for a customer of its own; `overrides` replace whole fields. */
export const orderFor = (items: Line[], overrides: Record<string, unknown> = {}) => ({
  customerId: uniqueId('customer'),
  email: 'ada@example.com',
  items,
  shippingAddress: address,
  paymentToken: 'tok_ok',
  ...overrides,
});

/** The answer is an RFC 9457 problem with this status; when fields are given, its `errors` name each of them. */
export function expectProblem(answer: Answer, status: number, ...fields: string[]): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  if (fields.length === 0) return;
  expect(answer.body.errors).toEqual(expect.arrayContaining(fields.map((field) => ({ field, message: expect.any(String) }))));
}

/** Asks again every 100 ms until the answer satisfies `until`; fails with the last answer seen. */
export async function eventually(ask: () => Promise<Answer>, until: (body: Answer['body']) => boolean, timeoutMs = 30_000): Promise<Answer['body']> {
  const answer = await waitFor(ask, (a) => a.status === 200 && until(a.body), { what: 'a matching answer', timeoutMs, show: (a) => `${(a as Answer).status} ${JSON.stringify((a as Answer).body)}` });
  return answer.body;
}

/** The runs visibility lists for a workflow id, once it lists any: visibility can lag a moment behind a start. */
export async function workflowRuns(client: Client, workflowId: string, timeoutMs = 10_000): Promise<string[]> {
  const list = async () => {
    const runs: string[] = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run.runId);
    return runs;
  };
  // Empty when visibility never lists it: the caller's expectation says what was missing.
  return waitFor(list, (runs) => runs.length > 0, { what: `the runs of ${workflowId}`, timeoutMs }).catch(() => list());
}
