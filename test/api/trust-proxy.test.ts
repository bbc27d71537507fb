// TRUST_PROXY over real HTTP: whom the customers' rate limit counts, with and without a proxy trusted.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../src/platform/config';
import type { Db } from '../../src/platform/db/database';
import { createServices, type Services } from '../../src/services';
import { temporaryDatabase, uniqueId } from '../support/database';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { serveApi, testSecurity } from './helpers';

let temporal: TestTemporal;
let db: Db;
let services: Services;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  ({ db, close: closeDb } = await temporaryDatabase());
  services = createServices(db);
});
afterAll(async () => {
  await temporal?.close();
  await closeDb?.();
});

// express-rate-limit reports what it takes for a misconfiguration on the console, and goes on.
const consoleError = vi.spyOn(console, 'error');
const consoleWarn = vi.spyOn(console, 'warn');
afterEach(() => {
  consoleError.mockClear();
  consoleWarn.mockClear();
});
const rateLimitComplaints = () =>
  [...consoleError.mock.calls, ...consoleWarn.mock.calls].flat().filter((arg) => /ERR_ERL_|express-rate-limit/.test(String(arg instanceof Error ? `${arg.name} ${(arg as { code?: string }).code} ${arg.message}` : arg)));

/** An API on 127.0.0.1 whose customers may make two requests a minute each, with TRUST_PROXY as given. */
async function apiWithLimit(trustProxy: Settings['TRUST_PROXY']) {
  return serveApi({ client: temporal.client, db, services, taskQueue: uniqueId('tq'), security: testSecurity({ rateLimitPerMinute: 2, trustProxy }) });
}

/** GET /coffee/menu (a customers' endpoint) as the proxy would pass it on for `client`. */
const menuFor = async (baseUrl: string, client: string) => (await fetch(new URL('/coffee/menu', baseUrl), { headers: { 'x-forwarded-for': client } })).status;

describe('the rate limit behind a proxy', () => {
  it('counts every request from the same connection as one client when no proxy is trusted, whatever X-Forwarded-For says', async () => {
    const api = await apiWithLimit(false);
    try {
      expect(await menuFor(api.url, '203.0.113.7')).toBe(200);
      expect(await menuFor(api.url, '198.51.100.23')).toBe(200);
      // A third "client" is refused: the header is not believed, so all three were 127.0.0.1.
      expect(await menuFor(api.url, '192.0.2.99')).toBe(429);
      expect(rateLimitComplaints()).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it.each([
    ['loopback', ['loopback']],
    ['one hop', 1],
  ])('gives each forwarded client its own limit when the proxy is trusted (%s)', async (_what, trustProxy) => {
    const api = await apiWithLimit(trustProxy as Settings['TRUST_PROXY']);
    try {
      expect(await menuFor(api.url, '203.0.113.7')).toBe(200);
      expect(await menuFor(api.url, '203.0.113.7')).toBe(200);
      expect(await menuFor(api.url, '203.0.113.7')).toBe(429);
      // Another customer behind the same proxy still has the whole budget.
      expect(await menuFor(api.url, '198.51.100.23')).toBe(200);
      expect(await menuFor(api.url, '198.51.100.23')).toBe(200);
      expect(await menuFor(api.url, '198.51.100.23')).toBe(429);
      expect(rateLimitComplaints()).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('believes only the hop the trusted proxy added, not addresses a client put before it', async () => {
    const api = await apiWithLimit(1);
    try {
      // The proxy appends the address it saw; a client forging the start of the list gets nowhere.
      expect(await menuFor(api.url, '10.9.9.9, 203.0.113.7')).toBe(200);
      expect(await menuFor(api.url, '10.8.8.8, 203.0.113.7')).toBe(200);
      expect(await menuFor(api.url, '10.7.7.7, 203.0.113.7')).toBe(429);
      expect(rateLimitComplaints()).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
