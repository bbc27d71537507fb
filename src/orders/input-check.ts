// The order workflow checks its input at its edge (see src/shop/input-checks.ts for why).
import { checkCommon, DEFAULT_DISPATCH_DEADLINE_HOURS, type Fields, isObject, isText, isWhole, need, skuPattern } from '../shop';
import type { OrderInput } from './order';

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
