// The shop's pages in a real browser (Chromium): a customer orders a coffee and watches it being
// made, live, while baristas work it from the board on two screens.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '../support/database';
import { launchChromium } from '../support/browser';
import { staffToken } from '../support/secrets';
import { eventually, serveApi, startTestApi, type TestApi } from '../api/helpers';
import { startTestWorker } from '../support/temporal';

let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi();
  for (const [name, available] of [['espresso-beans', 10_000], ['milk', 10_000], ['cups', 100], ['tea-bags', 100]] as const) {
    expect((await api.http.put(`/coffee/ingredients/${name}`, { available })).status).toBe(200);
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

// The board reads every 500 ms; tests allow more, since timings belong to the benchmark, not to tests.
const LIVE_MS = 5000;

async function openBoard(name: string, before?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await browser.newPage();
  await before?.(page);
  await page.goto(`${api.http.baseUrl}/barista`);
  await page.getByLabel('Staff token').fill(await staffToken('barista', name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${name} (barista)`).waitFor();
  return page;
}

async function placeCoffee(page: Page, customerName: string): Promise<string> {
  await page.goto(`${api.http.baseUrl}/`);
  await expect.poll(() => page.getByRole('row', { name: /latte/ }).textContent()).toContain('4.50');
  await page.getByLabel('Name').fill(customerName);
  await page.getByLabel('Drink').selectOption('latte');
  await page.getByLabel('Size').selectOption('medium');
  await page.getByLabel('How many').fill('2');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByText(`${customerName}: 2 × latte (medium), $9.00`).waitFor();
  return new URLSearchParams(new URL(page.url()).hash.slice(1)).get('order')!;
}

/**
 * What a customer reads carries no code of the API's: no status in capitals (QUEUED, PICKED_UP),
 * no step's name (takeIngredients, notify:coffee-ready), no bare amount without its currency.
 */
async function expectNoCodes(page: Page): Promise<void> {
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/\b[A-Z]{3,}(_[A-Z]+)*\b/);
  expect(text).not.toMatch(/\b[a-z]+[A-Z][a-zA-Z]*\b|notify:/);
  expect(text).not.toMatch(/(?<![$\d.,])\d+\.\d{2}\b/);
}

const card = (board: Page, customerName: string) => board.getByRole('listitem').filter({ hasText: customerName });

describe('the customer page and the barista board', () => {
  it('show an order being claimed, made and handed over, live, on the customer page and on two boards', async () => {
    const [ana, ben] = [await openBoard('Ana'), await openBoard('Ben')];
    const customer = await browser.newPage();
    const name = uniqueId('Grace');

    const orderId = await placeCoffee(customer, name);
    await customer.locator('#status', { hasText: 'Waiting for a barista' }).waitFor();

    // Both boards show it, claimable; Ana claims it and it leaves Ben's queue of claimable orders.
    await card(ana, name).getByRole('button', { name: 'Claim' }).waitFor({ timeout: 5000 });
    await card(ben, name).getByRole('button', { name: 'Claim' }).waitFor({ timeout: 5000 });
    await card(ana, name).getByRole('button', { name: 'Claim' }).click();
    await card(ben, name).getByRole('button', { name: 'Claim' }).waitFor({ state: 'hidden', timeout: LIVE_MS });
    await card(ben, name).getByText('Being made by Ana').waitFor({ timeout: LIVE_MS });

    // The customer sees it without reloading: the page's URL never changed.
    const url = customer.url();
    await customer.locator('#status', { hasText: 'Being made' }).waitFor({ timeout: 5000 });
    await customer.getByText('Ana is making it').waitFor();
    expect(await customer.getByRole('button', { name: 'Cancel order' }).isDisabled()).toBe(true);

    await card(ana, name).getByRole('button', { name: 'Mark ready' }).click();
    await customer.locator('#status', { hasText: 'Ready' }).waitFor({ timeout: 5000 });
    await card(ben, name).getByRole('button', { name: 'Hand over' }).waitFor({ timeout: LIVE_MS });
    await customer.getByRole('button', { name: 'Pick up' }).click();
    await customer.locator('#status', { hasText: 'Picked up' }).waitFor({ timeout: 5000 });
    expect(customer.url()).toBe(url);
    await expectNoCodes(customer);

    await card(ana, name).waitFor({ state: 'detached', timeout: 5000 });
    const order = (await api.http.get(`/coffee/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'PICKED_UP', barista: 'Ana', totalCents: 900, payment: { status: 'CAPTURED' } });
  });

  it("shows a refusal in words: a claim from a board that has not yet heard of another barista's, and a cancel once the coffee is being made", async () => {
    const ana = await openBoard('Ana');
    const customer = await browser.newPage();
    const name = uniqueId('Alan');
    const orderId = await placeCoffee(customer, name);
    await eventually(() => api.http.get(`/coffee/orders/${orderId}`), (o) => o.status === 'QUEUED');

    // Ben's board is frozen as the board was now, so it still offers the claim after Ana's.
    const queue = (await api.http.get('/coffee/queue')).body;
    const frozen = `event: view\ndata: ${JSON.stringify({ claimSlaSeconds: 300, orders: queue })}\n\n`;
    const ben = await openBoard('Ben', (page) => page.route('**/coffee/board/events', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body: frozen })));
    await card(ben, name).getByRole('button', { name: 'Claim' }).waitFor({ timeout: 5000 });
    await card(ana, name).getByRole('button', { name: 'Claim' }).click();
    await eventually(() => api.http.get(`/coffee/orders/${orderId}`), (o) => o.status === 'PREPARING');
    await card(ben, name).getByRole('button', { name: 'Claim' }).click();
    await ben.getByRole('alert').filter({ hasText: /not possible now: it is being made by Ana/ }).waitFor({ timeout: 5000 });

    await customer.locator('#status', { hasText: 'Being made' }).waitFor({ timeout: 5000 });
    // The page disables the button; the API refuses anyway, and says why.
    await customer.locator('#cancel').evaluate((button) => void ((button as { disabled: boolean }).disabled = false));
    await customer.getByRole('button', { name: 'Cancel order' }).click();
    await customer.getByRole('alert').filter({ hasText: /It can no longer be cancelled: it is being made/ }).waitFor({ timeout: 5000 });
  });

  it('lets a customer order with the keyboard alone: labelled fields, Tab and Enter', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.http.baseUrl}/`);
    await expect.poll(() => page.locator('#drink option').count()).toBeGreaterThan(0);
    const name = uniqueId('Keys');
    await page.getByLabel('Name').focus();
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.type('tea');
    await page.keyboard.press('Tab'); // size
    await page.keyboard.press('Tab'); // how many: Enter in a field sends the form
    await page.keyboard.press('Enter');
    await page.getByText(`${name}: 1 × tea (medium)`).waitFor({ timeout: 5000 });
    await page.locator('#status', { hasText: 'Waiting for a barista' }).waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Cancel order' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#status', { hasText: 'Cancelled' }).waitFor({ timeout: 5000 });
  });

  it('marks an order nobody has claimed within the service time on the board', async () => {
    const taskQueue = uniqueId('tq-sla');
    const worker = await startTestWorker(api.temporal, api.services, taskQueue);
    const hurried = await serveApi({ client: api.temporal.client, db: api.db, services: api.services, taskQueue, coffeeClaimSlaSeconds: 1 });
    try {
      const board = await browser.newPage();
      await board.goto(`${hurried.url}/barista`);
      await board.getByLabel('Staff token').fill(await staffToken('barista', 'Ana'));
      await board.getByRole('button', { name: 'Sign in' }).click();
      const name = uniqueId('Slow');
      expect((await hurried.http.post('/coffee/orders', { customerName: name, items: [{ drink: 'tea', size: 'small', quantity: 1 }], paymentToken: 'tok_ok' })).status).toBe(202);
      await card(board, name).getByText('the shift manager has been told').waitFor({ timeout: 20_000 });
    } finally {
      await hurried.close();
      await worker.stop();
    }
  });

  it('refuses a board to a bad token or another role, in words', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.http.baseUrl}/barista`);
    await page.getByLabel('Staff token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /Not signed in: the token is not one this shop signed/ }).waitFor();

    await page.getByLabel('Staff token').fill(await staffToken('warehouse', 'Wes'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /a warehouse may not do this/ }).waitFor();
  });

  it("shows a coffee's own page under the customer's name, with no delivery row and no empty section, and the shop's icon", async () => {
    const page = await browser.newPage();
    const name = uniqueId('Edsger');
    const orderId = await placeCoffee(page, name);
    await page.getByRole('link', { name: "This order's page" }).click();
    await page.getByRole('heading', { name: `Coffee for ${name}` }).waitFor({ timeout: 5000 });
    await page.locator('#status', { hasText: 'Waiting for a barista' }).waitFor({ timeout: 5000 });
    expect(page.url()).toContain(`/track/coffee/orders/${orderId}`);
    expect(await page.locator('#lines').textContent()).toBe('2 × latte (medium)');
    expect(await page.locator('#total').textContent()).toBe('$9.00');
    expect(await page.getByRole('row', { name: /Delivery/ }).count()).toBe(0);
    await page.getByRole('heading', { name: 'What has happened' }).waitFor();
    expect(await page.getByRole('heading', { name: 'What was undone' }).isVisible()).toBe(false);
    await page.getByText('Payment taken').waitFor();
    await expectNoCodes(page);
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect((await fetch(new URL(icon!, api.http.baseUrl))).headers.get('content-type')).toMatch(/image\/svg\+xml/);
  });

  it("shows a shop order's saga on its tracking page, linked from the answer that placed it, as it moves", async () => {
    const sku = uniqueId('web-sku');
    expect((await api.http.put(`/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 3 })).status).toBe(200);
    const orderId = uniqueId('web-order');
    const placed = await api.http.post('/orders', { customerId: 'c-web', email: 'ada@example.com', items: [{ sku, quantity: 1 }], shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'London', postalCode: 'N1', country: 'GB' }, paymentToken: 'tok_ok' }, { 'Idempotency-Key': orderId });
    expect(placed.body.links.page).toBe(`/track/orders/${orderId}`);

    const page = await browser.newPage();
    await page.goto(`${api.http.baseUrl}${placed.body.links.page}`);
    await page.locator('#status', { hasText: 'Waiting for the carrier' }).waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();
    await page.getByText('Your items set aside').waitFor();
    expect(await page.locator('#payment').textContent()).toBe('held on your card');
    expect(await page.locator('#total').textContent()).toBe('$45.00');
    await page.getByRole('heading', { name: 'What was undone' }).waitFor({ state: 'hidden' });

    expect((await api.http.post(`/orders/${orderId}/cancel`)).status).toBe(200);
    await page.locator('#status', { hasText: 'Cancelled' }).waitFor({ timeout: 5000 });
    await page.locator('#compensations').getByText('Your items put back on the shelf').waitFor();
    expect(await page.locator('#payment').textContent()).toBe('hold released, nothing charged');
    await expectNoCodes(page);
  });
});
