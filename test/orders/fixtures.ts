// Orders for workflow tests: a catalog on a fresh database and a way to place an order.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { orderKind } from '../../src/orders/kind';
import type { OrderInput } from '../../src/orders/order';
import type { Services } from '../../src/services';
import type { PaymentToken } from '../../src/shop';
import { orderFulfillment } from '../../src/workflows';
import { uniqueId } from '../support/database';

export interface Catalog {
  mug: string;
  poster: string;
}

/** Two items with known prices: 3 × 1250 + 1 × 990 = 4740 cents for the default order. */
export async function stockCatalog(services: Services, units = 10): Promise<Catalog> {
  const catalog = { mug: uniqueId('MUG'), poster: uniqueId('POSTER') };
  await services.inventory.upsertItem({ sku: catalog.mug, name: 'Mug', priceCents: 1250, available: units });
  await services.inventory.upsertItem({ sku: catalog.poster, name: 'Poster', priceCents: 990, available: units });
  return catalog;
}

export function orderInput(catalog: Catalog, overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    orderId: uniqueId('ord'),
    customerId: 'cust-42',
    email: `${uniqueId('buyer')}@example.com`,
    items: [
      { sku: catalog.mug, quantity: 3 },
      { sku: catalog.poster, quantity: 1 },
    ],
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    paymentToken: 'tok_ok',
    dispatchDeadlineHours: 72,
    ...overrides,
  };
}

export const withToken = (catalog: Catalog, paymentToken: PaymentToken) => orderInput(catalog, { paymentToken });

export async function placeOrder(client: Client, taskQueue: string, input: OrderInput) {
  return client.workflow.start(orderFulfillment, { workflowId: orderKind.workflowId(input.orderId), taskQueue, args: [input] });
}

/** Available, reserved and shipped units of each catalog item. */
export async function stockOf(services: Services, catalog: Catalog) {
  const [mug, poster] = await Promise.all([services.inventory.getItem(catalog.mug), services.inventory.getItem(catalog.poster)]);
  const units = (i: typeof mug) => ({ available: i!.available, reserved: i!.reserved, shipped: i!.shipped });
  return { mug: units(mug), poster: units(poster) };
}

/** Each activity the workflow ran, in order, with the attempt that finished it: from the history. */
export async function activityRuns(handle: WorkflowHandle): Promise<{ activity: string; attempt: number }[]> {
  const { events } = await handle.fetchHistory();
  const scheduled = new Map<string, string>();
  const runs: { activity: string; attempt: number }[] = [];
  for (const event of events ?? []) {
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) scheduled.set(String(event.eventId), name);
    const started = event.activityTaskStartedEventAttributes;
    if (started) runs.push({ activity: scheduled.get(String(started.scheduledEventId)) ?? '?', attempt: started.attempt ?? 0 });
  }
  return runs;
}
