// PUT and GET /inventory/:sku over real HTTP: the catalog a shop keeps, and the errors a client gets wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, startTestApi, type TestApi } from '../api/helpers';
import { uniqueId } from '../support/database';

describe('inventory API', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  const mug = { name: 'Mug', priceCents: 1250, available: 10 };
  const putItem = (sku: string, body: unknown) => api.http.put(`/inventory/${sku}`, body);

  it('creates an item with PUT and answers it with nothing reserved yet', async () => {
    const sku = uniqueId('sku');

    const created = await putItem(sku, mug);

    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ sku, ...mug, reserved: 0 });
  });

  it('GET answers the item with its sku, name, price, available and reserved units', async () => {
    const sku = uniqueId('sku');
    await putItem(sku, mug);

    const answer = await api.http.get(`/inventory/${sku}`);

    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toMatchObject({ sku, name: 'Mug', priceCents: 1250, available: 10, reserved: 0 });
  });

  it('PUT again replaces the name, price and available units of the same sku', async () => {
    const sku = uniqueId('sku');
    await putItem(sku, mug);

    const updated = await putItem(sku, { name: 'Large mug', priceCents: 1490, available: 3 });

    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ sku, name: 'Large mug', priceCents: 1490, available: 3, reserved: 0 });
    expect((await api.http.get(`/inventory/${sku}`)).body).toEqual(updated.body);
  });

  it('accepts an item that is free and out of stock', async () => {
    const sku = uniqueId('sku');

    const answer = await putItem(sku, { name: 'Sticker', priceCents: 0, available: 0 });

    expect(answer.status).toBe(200);
    expect((await api.http.get(`/inventory/${sku}`)).body).toMatchObject({ priceCents: 0, available: 0, reserved: 0 });
  });

  it('answers GET of a sku the catalog does not hold with a 404 problem naming the sku', async () => {
    const sku = uniqueId('missing');

    const answer = await api.http.get(`/inventory/${sku}`);

    expectProblem(answer, 404);
    expect(answer.body.detail).toContain(sku);
  });

  describe('refuses an invalid item with a 400 that names the field, and stores nothing', () => {
    it.each([
      ['negative available units', { ...mug, available: -1 }, 'available'],
      ['fractional available units', { ...mug, available: 2.5 }, 'available'],
      ['a fractional price', { ...mug, priceCents: 12.5 }, 'priceCents'],
      ['a negative price', { ...mug, priceCents: -100 }, 'priceCents'],
      ['a price sent as a string', { ...mug, priceCents: '1250' }, 'priceCents'],
      ['a missing name', { priceCents: 1250, available: 10 }, 'name'],
      ['a blank name', { ...mug, name: '   ' }, 'name'],
    ])('%s', async (_case, body, field) => {
      const sku = uniqueId('sku');

      expectProblem(await putItem(sku, body), 400, field);
      expectProblem(await api.http.get(`/inventory/${sku}`), 404);
    });

    it('a field the item does not have, such as reserved units', async () => {
      const sku = uniqueId('sku');

      expectProblem(await putItem(sku, { ...mug, reserved: 5 }), 400, 'reserved');
      expectProblem(await api.http.get(`/inventory/${sku}`), 404);
    });

    it('every invalid field at once', async () => {
      const answer = await putItem(uniqueId('sku'), { name: '', priceCents: 1.5, available: -3 });

      expectProblem(answer, 400, 'name', 'priceCents', 'available');
    });
  });

  it('refuses an invalid sku in the path with a 400 naming sku, for PUT and GET alike', async () => {
    expectProblem(await putItem('bad!sku', mug), 400, 'sku');
    expectProblem(await api.http.get('/inventory/bad!sku'), 400, 'sku');
    expectProblem(await api.http.get(`/inventory/${'x'.repeat(65)}`), 400, 'sku');
  });

  it('refuses a body that is not valid JSON with a 400 problem', async () => {
    const sku = uniqueId('sku');

    const answer = await api.http.send('PUT', `/inventory/${sku}`, { raw: '{"name": "Mug", "priceCents": ' });

    expectProblem(answer, 400);
    expectProblem(await api.http.get(`/inventory/${sku}`), 404);
  });

  it('refuses a PUT without a body with a 400 problem', async () => {
    expectProblem(await api.http.send('PUT', `/inventory/${uniqueId('sku')}`), 400);
  });
});
