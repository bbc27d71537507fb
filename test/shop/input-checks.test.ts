// The workflows' own input checks (no zod in the sandbox) accept every input the API's schemas
// accept, and refuse with the field's name what they must.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Drinks, Sizes } from '../../src/coffee/coffee';
import { checkCoffeeInput } from '../../src/coffee/input-check';
import { coffeeInputSchema } from '../../src/coffee/schemas';
import { checkOrderInput } from '../../src/orders/input-check';
import { orderInputSchema } from '../../src/orders/schemas';
import { InputProblem, PaymentTokens } from '../../src/shop';

const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);
const orderId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/);

const orderInput = fc.record({
  orderId,
  customerId: text(100),
  email: fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,30}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)).map(([user, host]) => `${user}@${host}.example`),
  items: fc.uniqueArray(fc.record({ sku: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), quantity: fc.integer({ min: 1, max: 1000 }) }), {
    minLength: 1,
    maxLength: 50,
    selector: (i) => i.sku,
  }),
  shippingAddress: fc.record({ name: text(200), line1: text(200), city: text(100), postalCode: text(20), country: fc.stringMatching(/^[A-Z]{2}$/) }),
  paymentToken: fc.constantFrom(...PaymentTokens),
  dispatchDeadlineHours: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
});

const coffeeInput = fc.record({
  orderId,
  customerName: text(100),
  items: fc.array(fc.record({ drink: fc.constantFrom(...Drinks), size: fc.constantFrom(...Sizes), quantity: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 20 }),
  paymentToken: fc.constantFrom(...PaymentTokens),
  pickupTimeoutSeconds: fc.integer({ min: 1, max: 86_400 }),
  claimSlaSeconds: fc.integer({ min: 1, max: 100_000 }),
});

describe("the workflows' input checks", () => {
  it('accept every order input the API schema accepts, with the same dispatch deadline', () => {
    let accepted = 0;
    fc.assert(
      fc.property(orderInput, (raw) => {
        const parsed = orderInputSchema.safeParse(raw);
        if (!parsed.success) return;
        accepted += 1;
        expect(checkOrderInput(parsed.data).dispatchDeadlineHours).toBe(parsed.data.dispatchDeadlineHours);
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(150);
  });

  it('accept every coffee input the API schema accepts', () => {
    fc.assert(
      fc.property(coffeeInput, (raw) => {
        const parsed = coffeeInputSchema.safeParse(raw);
        expect(parsed.success).toBe(true);
        expect(checkCoffeeInput(parsed.data)).toEqual(parsed.data);
      }),
      { numRuns: 300 },
    );
  });

  it('refuse what would fail deep inside a step, naming the field', () => {
    const valid = fc.sample(orderInput, { numRuns: 1, seed: 7 })[0]!;
    const refusal = (input: unknown) => {
      try {
        checkOrderInput(input);
        return undefined;
      } catch (err) {
        expect(err).toBeInstanceOf(InputProblem);
        return (err as Error).message;
      }
    };
    expect(refusal({ ...valid, items: [] })).toMatch(/^items/);
    expect(refusal({ ...valid, items: [{ sku: 'MUG', quantity: 1.5 }] })).toMatch(/^items\[0\]\.quantity/);
    expect(refusal({ ...valid, paymentToken: '4242 4242 4242 4242' })).toMatch(/^paymentToken/);
    expect(refusal({ ...valid, shippingAddress: { ...valid.shippingAddress, country: 'Germany' } })).toMatch(/^shippingAddress\.country/);
    expect(refusal({ ...valid, dispatchDeadlineHours: 0 })).toMatch(/^dispatchDeadlineHours/);
    expect(refusal('an order')).toMatch(/not an object/);
    expect(refusal(valid)).toBeUndefined();
  });
});
