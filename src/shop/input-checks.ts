// A workflow checks its own input at its edge, without a schema library: the API validated the
// request with zod already, and these catch a start from elsewhere (the CLI, a script) that
// would otherwise fail deep inside a step. Each problem names its field. These are the checks every
// kind shares; each kind's own are beside its model (src/orders/input-check.ts, src/coffee/input-check.ts).
import { isPaymentToken, orderIdPattern, paymentTokenRule } from './shop';

/** What is wrong with a workflow's input. */
export class InputProblem extends Error {}

export type Fields = Record<string, unknown>;

export function need(ok: boolean, problem: string): void {
  if (!ok) throw new InputProblem(problem);
}

export const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;
export const isWhole = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
export const isOneOf = (v: unknown, allowed: readonly string[]) => typeof v === 'string' && allowed.includes(v);

/** What every order's input has: an order id, a payment token and 1 to `maxItems` items. */
export function checkCommon(input: unknown, maxItems: number): Fields {
  need(isObject(input), 'the input is not an object');
  const fields = input as Fields;
  need(typeof fields.orderId === 'string' && orderIdPattern.test(fields.orderId), 'orderId: 1-80 letters, digits, "_" or "-"');
  need(isPaymentToken(fields.paymentToken), `paymentToken: ${paymentTokenRule}`);
  need(Array.isArray(fields.items) && fields.items.length >= 1 && fields.items.length <= maxItems, `items: 1 to ${maxItems}`);
  for (const [i, item] of (fields.items as unknown[]).entries()) need(isObject(item), `items[${i}]: not an object`);
  return fields;
}
