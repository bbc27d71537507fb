// A day at the shop, driven through the API as customers, a carrier and baristas would, while
// the cluster is broken on purpose; then what the business database must say about it.
import { uniqueId } from '../support/database';
import type { Cluster } from './cluster';

type Ending = 'COMPLETED' | 'CANCELLED' | 'FAILED' | 'PICKED_UP';

interface Planned {
  kind: 'order' | 'coffee';
  id: string;
  body: Record<string, unknown>;
  expect: Ending;
  /** What the driver does on the way: a normal run, a cancel, or a barista failure. */
  plan: 'normal' | 'cancel' | 'fail';
  status?: string;
}

export interface ShopDay {
  orders: Planned[];
  stock: Map<string, number>;
  ingredients: Map<string, number>;
}

const address = { name: 'Ada', line1: '1 Loop Rd', city: 'Localhost', postalCode: '127', country: 'GB' };

/** Stocks the shop and plans the orders: a mix of every path, some with a flaky gateway. */
export async function openShop(cluster: Cluster, counts: { orders: number; coffees: number }): Promise<ShopDay> {
  const skus = [uniqueId('MUG'), uniqueId('LAMP'), uniqueId('KETTLE')];
  const stock = new Map(skus.map((sku) => [sku, counts.orders]));
  for (const [sku, available] of stock) await must(cluster, 'PUT', `/inventory/${sku}`, { name: sku, priceCents: 1500, available });
  const ingredients = new Map([['espresso-beans', 40 * counts.coffees], ['milk', 300 * counts.coffees], ['tea-bags', 2 * counts.coffees], ['cups', 2 * counts.coffees]]);
  for (const [name, available] of ingredients) await must(cluster, 'PUT', `/coffee/ingredients/${name}`, { available });

  const orders: Planned[] = [];
  for (let i = 0; i < counts.orders; i++) {
    const token = i % 3 === 0 ? 'tok_flaky' : i % 10 === 7 ? 'tok_declined' : 'tok_ok';
    const refused = i % 10 === 9; // the carrier refuses AQ
    const plan = i % 6 === 5 && token !== 'tok_declined' && !refused ? 'cancel' : 'normal';
    const body = {
      customerId: `chaos-${i}`,
      email: `c${i}@example.com`,
      items: [{ sku: skus[i % 3]!, quantity: 1 + (i % 2) }, { sku: skus[(i + 1) % 3]!, quantity: 1 }],
      shippingAddress: refused ? { ...address, country: 'AQ' } : address,
      paymentToken: token,
    };
    const expect = token === 'tok_declined' || refused ? 'FAILED' : plan === 'cancel' ? 'CANCELLED' : 'COMPLETED';
    orders.push({ kind: 'order', id: uniqueId('chaos-order'), body, expect, plan });
  }
  for (let i = 0; i < counts.coffees; i++) {
    const plan = i % 5 === 3 ? 'cancel' : i % 5 === 4 ? 'fail' : 'normal';
    const body = { customerName: `Guest ${i}`, items: [{ drink: i % 2 ? 'latte' : 'tea', size: 'medium', quantity: 1 }], paymentToken: i % 3 === 0 ? 'tok_flaky' : 'tok_ok' };
    orders.push({ kind: 'coffee', id: uniqueId('chaos-coffee'), body, expect: plan === 'normal' ? 'PICKED_UP' : plan === 'cancel' ? 'CANCELLED' : 'FAILED', plan });
  }
  return { orders, stock, ingredients };
}

/** Places every order (retrying with its Idempotency-Key while the API or Temporal is away). */
export async function placeOrders(cluster: Cluster, day: ShopDay): Promise<void> {
  await Promise.all(
    day.orders.map((o) => must(cluster, 'POST', o.kind === 'order' ? '/orders' : '/coffee/orders', o.body, { 'Idempotency-Key': o.id })),
  );
}

/** One pass over the unfinished orders: read each, and do what its plan says comes next. */
export async function drive(cluster: Cluster, day: ShopDay): Promise<number> {
  const open = day.orders.filter((o) => o.status !== o.expect && !isEnding(o.status));
  await Promise.all(open.map((o) => step(cluster, o).catch(() => undefined)));
  return day.orders.filter((o) => !isEnding(o.status)).length;
}

async function step(cluster: Cluster, o: Planned): Promise<void> {
  const base = o.kind === 'order' ? `/orders/${o.id}` : `/coffee/orders/${o.id}`;
  const read = await cluster.http.get(base);
  if (read.status !== 200) return;
  o.status = read.body.status as string;
  const post = (path: string, body?: unknown) => cluster.http.post(`${base}${path}`, body);
  if (o.kind === 'order') {
    if (o.status === 'SHIPMENT_CREATED') await (o.plan === 'cancel' ? post('/cancel') : post('/shipment-events', { event: 'DISPATCHED' }));
    else if (o.status === 'DISPATCHED') await post('/shipment-events', { event: 'DELIVERED' });
    return;
  }
  if (o.status === 'QUEUED') await (o.plan === 'cancel' ? post('/cancel') : post('/claim'));
  else if (o.status === 'PREPARING') await (o.plan === 'fail' ? post('/fail', { reason: 'chaos' }) : post('/ready'));
  else if (o.status === 'READY') await post('/pickup');
}

const isEnding = (status: string | undefined) => ['COMPLETED', 'CANCELLED', 'FAILED', 'PICKED_UP', 'ABANDONED', 'NEEDS_ATTENTION'].includes(status ?? '');

async function must(cluster: Cluster, method: string, path: string, json: unknown, headers: Record<string, string> = {}): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const answer = await cluster.http.send(method, path, { json, headers }).catch(() => undefined);
    if (answer && answer.status < 300) return;
    if (answer && answer.status < 500 && answer.status !== 404) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    if (attempt > 300) throw new Error(`${method} ${path} never went through`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
