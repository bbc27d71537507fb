// A workflow checks its own input at its edge, without a schema library: the API validated the
// request with zod already, and these catch a start from elsewhere (the CLI, a script) that
// would otherwise fail deep inside a step. Each problem names its field.
import { type CoffeeInput, Drinks, MAX_PICKUP_SECONDS, Sizes } from './coffee';
import { DEFAULT_DISPATCH_DEADLINE_HOURS, type OrderInput } from './order';
import { orderIdPattern, PaymentTokens, skuPattern } from './shop';

/** What is wrong with a workflow's input. */
export class InputProblem extends Error {}

type Fields = Record<string, unknown>;

function need(ok: boolean, problem: string): void {
  if (!ok) throw new InputProblem(problem);
}

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;
const isWhole = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isOneOf = (v: unknown, allowed: readonly string[]) => typeof v === 'string' && allowed.includes(v);

function checkCommon(input: unknown, maxItems: number): Fields {
  need(isObject(input), 'the input is not an object');
  const fields = input as Fields;
  need(typeof fields.orderId === 'string' && orderIdPattern.test(fields.orderId), 'orderId: 1-80 letters, digits, "_" or "-"');
  need(isOneOf(fields.paymentToken, PaymentTokens), `paymentToken: one of ${PaymentTokens.join(', ')}`);
  need(Array.isArray(fields.items) && fields.items.length >= 1 && fields.items.length <= maxItems, `items: 1 to ${maxItems}`);
  for (const [i, item] of (fields.items as unknown[]).entries()) need(isObject(item), `items[${i}]: not an object`);
  return fields;
}

/** The order workflow's input; orders started before the dispatch deadline existed get the default. */
export function checkOrderInput(input: unknown): OrderInput {
  const fields = checkCommon(input, 50);
  need(isText(fields.customerId, 100), 'customerId: 1-100 characters');
  need(isText(fields.email, 254) && fields.email.includes('@'), 'email: an email address');
  for (const [i, item] of (fields.items as Fields[]).entries()) {
    need(typeof item.sku === 'string' && skuPattern.test(item.sku), `items[${i}].sku: 1-64 letters, digits, ".", "_" or "-"`);
    need(isWhole(item.quantity, 1, 1000), `items[${i}].quantity: a whole number from 1 to 1000`);
  }
  const address = fields.shippingAddress;
  need(isObject(address), 'shippingAddress: not an object');
  for (const [field, max] of [['name', 200], ['line1', 200], ['city', 100], ['postalCode', 20]] as const) {
    need(isText((address as Fields)[field], max), `shippingAddress.${field}: 1-${max} characters`);
  }
  need(typeof (address as Fields).country === 'string' && /^[A-Z]{2}$/.test((address as Fields).country as string), 'shippingAddress.country: a code such as "DE"');
  const hours = fields.dispatchDeadlineHours ?? DEFAULT_DISPATCH_DEADLINE_HOURS;
  need(isWhole(hours, 1), 'dispatchDeadlineHours: a whole number of at least 1');
  return { ...(fields as unknown as OrderInput), dispatchDeadlineHours: hours as number };
}

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
