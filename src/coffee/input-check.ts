// The coffee workflow checks its input at its edge (see src/shop/input-checks.ts for why).
import { checkCommon, type Fields, isOneOf, isText, isWhole, need } from '../shop';
import { type CoffeeInput, Drinks, MAX_PICKUP_SECONDS, Sizes } from './coffee';

/** The coffee workflow's input. */
export function checkCoffeeInput(input: unknown): CoffeeInput {
  const fields = checkCommon(input, 20);
  need(isText(fields.customerName, 100), 'customerName: 1-100 characters');
  for (const [i, item] of (fields.items as Fields[]).entries()) {
    need(isOneOf(item.drink, Drinks), `items[${i}].drink: one of ${Drinks.join(', ')}`);
    need(isOneOf(item.size, Sizes), `items[${i}].size: one of ${Sizes.join(', ')}`);
    need(isWhole(item.quantity, 1, 20), `items[${i}].quantity: a whole number from 1 to 20`);
  }
  need(isWhole(fields.pickupTimeoutSeconds, 1, MAX_PICKUP_SECONDS), `pickupTimeoutSeconds: a whole number from 1 to ${MAX_PICKUP_SECONDS}`);
  need(isWhole(fields.claimSlaSeconds, 1), 'claimSlaSeconds: a whole number of at least 1');
  return fields as unknown as CoffeeInput;
}
