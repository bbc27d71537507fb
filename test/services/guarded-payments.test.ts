// The circuit breaker around a payment provider, here around the simulated gateway: the
// provider's faults open it, a refused card does not, and once open a call fails at once with a
// retryable failure, until a probe passes.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PaymentGateway } from '../../src/services';
import { type BreakerWatch, GuardedPayments } from '../../src/services/guarded-payments';
import { BusinessError, TransientError } from '../../src/shop';
import { uniqueId, useFreshDatabase } from '../support/database';

const fresh = useFreshDatabase();

function watched(): BreakerWatch & { states: string[]; refusals: number } {
  const seen = { states: [] as string[], refusals: 0 };
  return Object.assign(seen, { state: (s: string) => seen.states.push(s), refused: () => (seen.refusals += 1) });
}

/** `tok_flaky` fails the first two calls of each key: a fault of the provider's. */
const call = (guarded: GuardedPayments, token: string) => guarded.authorize({ idempotencyKey: uniqueId('k'), orderId: uniqueId('order'), token, amountCents: 100 }).then(() => 'ok', (e: unknown) => (e instanceof BusinessError || e instanceof TransientError ? e.type : String(e)));

describe('the payment breaker', () => {
  it('stays closed for refused cards', async () => {
    const watch = watched();
    const guarded = new GuardedPayments(new PaymentGateway(fresh.db), { consecutiveFaults: 2, openMs: 60_000 }, watch);
    for (let i = 0; i < 5; i++) expect(await call(guarded, 'tok_declined')).toBe('CardDeclined');
    expect(watch.states).toEqual(['closed']);
  });

  it("opens after the provider's faults in a row, fails calls at once without reaching it, and closes when a probe passes", async () => {
    const watch = watched();
    const gateway = new PaymentGateway(fresh.db);
    const guarded = new GuardedPayments(gateway, { consecutiveFaults: 2, openMs: 300 }, watch);
    expect([await call(guarded, 'tok_flaky'), await call(guarded, 'tok_flaky')]).toEqual(['GatewayUnavailable', 'GatewayUnavailable']);
    expect(watch.states).toEqual(['closed', 'open']);

    const reached = async () => (await fresh.db.selectFrom('simulated_faults').select('key').execute()).length;
    const before = await reached();
    expect(await call(guarded, 'tok_flaky')).toBe('GatewayUnavailable');
    expect(await call(guarded, 'tok_ok')).toBe('GatewayUnavailable');
    expect(watch.refusals).toBe(2);
    expect(await reached(), 'calls that reached the gateway while open').toBe(before);

    await sleep(350);
    expect(await call(guarded, 'tok_ok')).toBe('ok');
    expect(watch.states).toEqual(['closed', 'open', 'half-open', 'closed']);
  });
});
