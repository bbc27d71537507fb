// Coffee orders for workflow tests: a stocked café and a way to place an order.
import type { Client } from '@temporalio/client';
import type { CoffeeInput } from '../../src/coffee/coffee';
import { coffeeKind } from '../../src/coffee/kind';
import type { Services } from '../../src/services';
import { coffeeOrder } from '../../src/workflows';
import { uniqueId } from '../support/database';

/** Enough for a dozen lattes. */
export const shelf = { 'espresso-beans': 1000, milk: 3000, 'tea-bags': 20, cups: 12 };

export async function stockCafe(services: Services, amounts: Partial<typeof shelf> = shelf): Promise<void> {
  for (const [name, available] of Object.entries(amounts)) {
    await services.inventory.upsertIngredient({ name, available, unit: null });
  }
}

/** Two medium lattes and a small tea: 2 × 450 + 250 = 1150 cents. */
export function coffeeInput(overrides: Partial<CoffeeInput> = {}): CoffeeInput {
  return {
    orderId: uniqueId('cof'),
    customerName: uniqueId('Grace'),
    items: [
      { drink: 'latte', size: 'medium', quantity: 2 },
      { drink: 'tea', size: 'small', quantity: 1 },
    ],
    paymentToken: 'tok_ok',
    pickupTimeoutSeconds: 1800,
    claimSlaSeconds: 300,
    ...overrides,
  };
}

/** What two lattes and a tea take from the shelf. */
export const usedByDefaultOrder = { 'espresso-beans': 36, milk: 500, 'tea-bags': 1, cups: 3 };

export async function placeCoffee(client: Client, taskQueue: string, input: CoffeeInput) {
  return client.workflow.start(coffeeOrder, { workflowId: coffeeKind.workflowId(input.orderId), taskQueue, args: [input] });
}

export type Shelf = Record<string, { available: number; reserved: number; used: number }>;

/** Available, reserved and used amounts of every ingredient on the shelf. */
export async function shelfOf(services: Services): Promise<Shelf> {
  const entries = await Promise.all(
    Object.keys(shelf).map(async (name) => {
      const i = await services.inventory.getIngredient(name);
      return [name, { available: i!.available, reserved: i!.reserved, used: i!.used }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The shelf after an order took these amounts from `before`, holding them or having used them. */
export function shelfAfter(before: Shelf, taken: Partial<Record<keyof typeof shelf, number>>, state: 'reserved' | 'used'): Shelf {
  return Object.fromEntries(
    Object.entries(before).map(([name, was]) => {
      const amount = taken[name as keyof typeof shelf] ?? 0;
      return [name, { available: was.available - amount, reserved: was.reserved + (state === 'reserved' ? amount : 0), used: was.used + (state === 'used' ? amount : 0) }];
    }),
  );
}
