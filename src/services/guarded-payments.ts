// A circuit breaker around a remote payment provider (cockatiel). Temporal's retries back off per
// order, but a thousand orders would still each call a provider that is down: after repeated
// faults the breaker opens, and the calls it holds back fail at once with a retryable failure, so
// each activity waits in Temporal's backoff instead. After a while one call goes through as a
// probe: if it passes, the breaker closes and the orders carry on.
import { BrokenCircuitError, ConsecutiveBreaker, CircuitState, circuitBreaker, type CircuitBreakerPolicy, handleWhen } from 'cockatiel';
import { TransientError } from '../shop';
import type { AuthorizeRequest, Payment, PaymentChange, PaymentProvider } from './payment-provider';

export interface BreakerOptions {
  /** Faults in a row (a provider down, slow or failing, never a refused card) that open it. */
  consecutiveFaults: number;
  /** How long it stays open before it lets one probe through. */
  openMs: number;
}

/** What the breaker tells the metrics. */
export interface BreakerWatch {
  state(state: 'closed' | 'open' | 'half-open'): void;
  refused(): void;
}

export class GuardedPayments implements PaymentProvider {
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    private readonly provider: PaymentProvider,
    private readonly options: BreakerOptions,
    private readonly watch: BreakerWatch = { state: () => undefined, refused: () => undefined },
  ) {
    // Only the provider's faults count: a declined card is the provider working.
    this.breaker = circuitBreaker(
      handleWhen((err) => err instanceof TransientError),
      { halfOpenAfter: options.openMs, breaker: new ConsecutiveBreaker(options.consecutiveFaults) },
    );
    this.breaker.onStateChange((state) => watch.state(state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open'));
    watch.state('closed');
  }

  authorize(req: AuthorizeRequest): Promise<Payment> {
    return this.guard(() => this.provider.authorize(req));
  }
  charge(req: AuthorizeRequest): Promise<Payment> {
    return this.guard(() => this.provider.charge(req));
  }
  capture(req: PaymentChange): Promise<Payment> {
    return this.guard(() => this.provider.capture(req));
  }
  voidAuthorization(req: PaymentChange): Promise<Payment> {
    return this.guard(() => this.provider.voidAuthorization(req));
  }
  refund(req: PaymentChange): Promise<Payment> {
    return this.guard(() => this.provider.refund(req));
  }

  moneyHeldOrTaken(capturedSince: string): Promise<Payment[]> {
    return this.guard(() => this.provider.moneyHeldOrTaken(capturedSince));
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(call);
    } catch (err) {
      if (!(err instanceof BrokenCircuitError)) throw err;
      this.watch.refused();
      throw new TransientError('GatewayUnavailable', `the payment provider kept failing: calls are held back (circuit open, a probe every ${this.options.openMs / 1000} s)`);
    }
  }
}
