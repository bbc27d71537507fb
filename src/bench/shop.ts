// The bench's side of the shop: a client that signs in as staff and as the carrier, and a shop
// stocked for the run.
import { type ClientCredentials, credentialHeaders } from '../platform/security/client-credentials';
import type { Flow } from './load';

export function httpClient(base: string, credentials: ClientCredentials) {
  return {
    async send(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const res = await fetch(`${base}${urlPath}`, {
        method,
        headers: { ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...credentialHeaders(credentials, urlPath, text), ...headers },
        body: text,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async text(urlPath: string): Promise<string> {
      return (await fetch(`${base}${urlPath}`)).text();
    },
  };
}

/** The reads the API's live streams and waiting reads have made (its metrics). */
export async function liveReads(http: ReturnType<typeof httpClient>): Promise<number> {
  return Number(/^api_live_reads_total (\d+)/m.exec(await http.text('/metrics'))?.[1] ?? Number.NaN);
}

export async function stockShop(http: ReturnType<typeof httpClient>, flow: Flow, count: number) {
  const address = { name: 'Bench', line1: '1 Loop Rd', city: 'Localhost', postalCode: '127', country: 'GB' };
  if (flow === 'orders') {
    await http.send('PUT', '/inventory/BENCH-MUG', { name: 'Mug', priceCents: 1250, available: count * 2 });
    return {
      bodyFor: (i: number) => ({ customerId: `bench-${i % 50}`, email: 'bench@example.com', items: [{ sku: 'BENCH-MUG', quantity: 1 }], shippingAddress: address, paymentToken: 'tok_ok' }),
    };
  }
  for (const [name, perDrink] of [['espresso-beans', 18], ['milk', 250], ['cups', 1]] as const) {
    await http.send('PUT', `/coffee/ingredients/${name}`, { available: perDrink * count });
  }
  return { bodyFor: () => ({ customerName: 'Bench', items: [{ drink: 'latte', size: 'medium', quantity: 1 }], paymentToken: 'tok_ok' }) };
}
