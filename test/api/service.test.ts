// Liveness, readiness and unknown routes, against a real Temporal server and database, and without them.
import { Client, type Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLazily } from '../../src/platform/temporal/client';
import { createServices } from '../../src/services';
import { temporaryDatabase, uniqueId } from '../support/database';
import { expectProblem, orderFor, serveApi, startTestApi, type TestApi } from './helpers';

describe('service endpoints', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  it('answers /healthz with 200 while the process is up', async () => {
    const answer = await api.http.get('/healthz');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when Temporal and the database both answer', async () => {
    const answer = await api.http.get('/readyz');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ready', checks: { temporal: 'up', database: 'up' } });
  });

  it('answers an unknown route with a 404 problem that names the method and path', async () => {
    const answer = await api.http.get('/no/such/thing');

    expectProblem(answer, 404);
    expect(answer.body.detail).toContain('GET /no/such/thing');
  });

  it('answers a known path with an unsupported method with a 404 problem', async () => {
    expectProblem(await api.http.send('DELETE', '/healthz'), 404);
  });

  describe('when Temporal cannot be reached', () => {
    let connection: Connection;
    let unreachable: Awaited<ReturnType<typeof serveApi>>;

    beforeAll(async () => {
      // Nothing listens on port 1: every call to this client fails to connect. The API's own
      // connection settings, as in production.
      connection = connectLazily({ address: '127.0.0.1:1' });
      unreachable = await serveApi({ client: new Client({ connection }), db: api.db, services: api.services, taskQueue: uniqueId('tq') });
    });
    afterAll(async () => {
      await unreachable?.close();
      await connection?.close().catch(() => undefined);
    });

    it('answers /readyz with 503 and reports Temporal down and the database up', async () => {
      const answer = await unreachable.http.get('/readyz');

      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ status: 'unavailable', checks: { temporal: 'down', database: 'up' } });
    });

    it('still answers /healthz with 200, since the process itself is up', async () => {
      expect((await unreachable.http.get('/healthz')).status).toBe(200);
    });

    it('answers a valid order with a 503 problem rather than an internal error', async () => {
      const sku = uniqueId('sku');
      await api.services.inventory.upsertItem({ sku, name: 'Mug', priceCents: 1250, available: 5 });
      const answer = await unreachable.http.post('/orders', orderFor([{ sku, quantity: 1 }]), { 'Idempotency-Key': uniqueId('order') });

      expectProblem(answer, 503);
    });

    it('answers every endpoint that needs Temporal within a few seconds: 503 with Retry-After, naming Temporal; the rest as usual', async () => {
      const sku = uniqueId('sku');
      await api.services.inventory.upsertItem({ sku, name: 'Mug', priceCents: 1250, available: 5 });
      const [order, coffee] = [uniqueId('order'), uniqueId('cof')];
      const key = { 'Idempotency-Key': uniqueId('key') };
      const needTemporal: [string, string, unknown?][] = [
        ['GET', `/orders/${order}`],
        ['POST', '/orders', orderFor([{ sku, quantity: 1 }])],
        ['POST', `/orders/${order}/cancel`],
        ['POST', `/orders/${order}/shipment-events`, { event: 'DISPATCHED' }],
        ['GET', `/coffee/orders/${coffee}`],
        ['GET', '/coffee/queue'],
        ['POST', '/coffee/orders', { customerName: 'Ada', items: [{ drink: 'tea', size: 'small', quantity: 1 }], paymentToken: 'tok_ok' }],
        ['POST', `/coffee/orders/${coffee}/claim`, undefined],
        ['POST', `/coffee/orders/${coffee}/ready`],
        ['POST', `/coffee/orders/${coffee}/fail`, { reason: 'no milk' }],
        ['POST', `/coffee/orders/${coffee}/pickup`],
        ['POST', `/coffee/orders/${coffee}/cancel`],
      ];
      const timed = async (method: string, path: string, json?: unknown) => {
        const started = Date.now();
        const answer = await unreachable.http.send(method, path, { json, headers: key });
        return { what: `${method} ${path}`, answer, ms: Date.now() - started };
      };

      const answers = await Promise.all([...needTemporal.map(([method, path, json]) => timed(method, path, json)), timed('GET', '/metrics'), timed('GET', `/inventory/${sku}`)]);

      for (const { what, answer, ms } of answers.slice(0, needTemporal.length)) {
        expectProblem(answer, 503);
        expect(answer.body.detail, what).toMatch(/Temporal cannot be reached/);
        expect(answer.retryAfter, what).toMatch(/^\d+$/);
        expect(ms, what).toBeLessThan(5_000);
      }
      const [metrics, item] = answers.slice(needTemporal.length);
      expect(metrics!.answer.status).toBe(200);
      expect(metrics!.answer.body).toContain('http_requests_total');
      expect(metrics!.ms).toBeLessThan(5_000);
      expect(item!.answer.status).toBe(200);
    });
  });

  describe('when the database is closed', () => {
    let closedDbApi: Awaited<ReturnType<typeof serveApi>>;

    beforeAll(async () => {
      const { db, close } = await temporaryDatabase();
      await close();
      closedDbApi = await serveApi({ client: api.temporal.client, db, services: createServices(db), taskQueue: uniqueId('tq') });
    });
    afterAll(() => closedDbApi?.close());

    it('answers /readyz with 503 and reports the database down and Temporal up', async () => {
      const answer = await closedDbApi.http.get('/readyz');

      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ status: 'unavailable', checks: { temporal: 'up', database: 'down' } });
    });
  });
});
