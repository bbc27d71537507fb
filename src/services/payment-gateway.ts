// A simulated Stripe-like payment gateway: authorize, capture, void, refund, with test tokens
// that decline, lack funds or fail transiently, and idempotency keys on every call.
import { randomUUID } from 'node:crypto';
import { type Db, now } from '../platform/db/database';
import { BusinessError, PaymentTokens, TransientError } from '../shop';
import { once, type Trx } from './idempotency';
import type { AuthorizeRequest, Payment, PaymentChange, PaymentProvider, ProviderPaymentStatus } from './payment-provider';

/** How many times in a row `tok_flaky` fails each operation before it goes through. */
export const FLAKY_FAILURES_PER_OPERATION = 2;

/** A payment's move from one state to the next, named as the gateway's operation. */
interface PaymentMove {
  operation: 'capture' | 'void' | 'refund';
  from: ProviderPaymentStatus;
  to: ProviderPaymentStatus;
}

export class PaymentGateway implements PaymentProvider {
  constructor(
    private readonly db: Db,
    /** Every call takes this long to answer, as a remote gateway would: see roundTrip. */
    private readonly options: { latencyMs: number } = { latencyMs: 0 },
  ) {}

  /** Holds the amount on the card; nothing is charged until capture. */
  async authorize(req: AuthorizeRequest): Promise<Payment> {
    return this.open(req, 'authorize', 'AUTHORIZED');
  }

  /** Authorizes and captures at once, as when a customer pays at the counter. */
  async charge(req: AuthorizeRequest): Promise<Payment> {
    return this.open(req, 'charge', 'CAPTURED');
  }

  /** A new payment, as a call over the network to the gateway. */
  private async open(req: AuthorizeRequest, operation: 'authorize' | 'charge', status: ProviderPaymentStatus): Promise<Payment> {
    return this.roundTrip(() => this.createPayment(req, operation, status));
  }

  /** What the gateway does on its side: refuse the card, or record the payment once per key. */
  private async createPayment(req: AuthorizeRequest, operation: 'authorize' | 'charge', status: ProviderPaymentStatus): Promise<Payment> {
    if (!(PaymentTokens as readonly string[]).includes(req.token)) {
      throw new BusinessError('InvalidPaymentToken', `payment token "${req.token}" is not valid`);
    }
    await this.failIfFlaky(req.token, operation, req.idempotencyKey);
    if (req.token === 'tok_declined') throw new BusinessError('CardDeclined', 'the card was declined');
    if (req.token === 'tok_insufficient_funds') throw new BusinessError('InsufficientFunds', 'the card has insufficient funds');

    const request = { orderId: req.orderId, token: req.token, amountCents: req.amountCents };
    return once(this.db, { key: req.idempotencyKey, operation: `payment.${operation}`, request }, async (trx) => {
      const payment: Payment = { paymentId: `pi_${randomUUID()}`, orderId: req.orderId, amountCents: req.amountCents, status };
      await trx
        .insertInto('payments')
        .values({ id: payment.paymentId, order_id: req.orderId, token: req.token, amount_cents: req.amountCents, status, created_at: now(), updated_at: now() })
        .execute();
      return payment;
    });
  }

  /** Takes the authorized amount. */
  async capture(req: PaymentChange): Promise<Payment> {
    return this.transition(req, { operation: 'capture', from: 'AUTHORIZED', to: 'CAPTURED' });
  }

  /** Releases an authorization that was never captured: the customer is charged nothing. */
  async voidAuthorization(req: PaymentChange): Promise<Payment> {
    return this.transition(req, { operation: 'void', from: 'AUTHORIZED', to: 'VOIDED' });
  }

  /** Gives a captured amount back in full. */
  async refund(req: PaymentChange): Promise<Payment> {
    return this.transition(req, { operation: 'refund', from: 'CAPTURED', to: 'REFUNDED' });
  }

  async moneyHeldOrTaken(capturedSince: string): Promise<Payment[]> {
    const rows = await this.db
      .selectFrom('payments')
      .selectAll()
      .where((eb) => eb.or([eb('status', '=', 'AUTHORIZED'), eb.and([eb('status', '=', 'CAPTURED'), eb('updated_at', '>=', capturedSince)])]))
      .execute();
    return rows.map(toPayment);
  }

  async getPayment(paymentId: string): Promise<Payment | undefined> {
    return loadPayment(this.db, paymentId);
  }

  async paymentsForOrder(orderId: string): Promise<Payment[]> {
    const rows = await this.db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();
    return rows.map(toPayment);
  }

  /** Moves a payment from one state to the next, as a call over the network; already there means already done. */
  private async transition(req: PaymentChange, move: PaymentMove): Promise<Payment> {
    return this.roundTrip(() => this.movePayment(req, move));
  }

  /** What the gateway does on its side: move the payment once per key, if it is where the move starts. */
  private async movePayment(req: PaymentChange, { operation, from, to }: PaymentMove): Promise<Payment> {
    const card = await this.db.selectFrom('payments').select('token').where('id', '=', req.paymentId).executeTakeFirst();
    if (!card) throw new BusinessError('NotFound', `no payment ${req.paymentId}`);
    await this.failIfFlaky(card.token, operation, req.idempotencyKey);

    return once(this.db, { key: req.idempotencyKey, operation: `payment.${operation}`, request: { paymentId: req.paymentId } }, async (trx) => {
      const current = (await loadPayment(trx, req.paymentId))!;
      if (current.status === to) return current;
      if (current.status !== from) {
        throw new BusinessError('InvalidState', `cannot ${operation} payment ${req.paymentId}: it is ${current.status}`);
      }
      await trx.updateTable('payments').set({ status: to, updated_at: now() }).where('id', '=', req.paymentId).where('status', '=', from).execute();
      return { ...current, status: to };
    });
  }

  /**
   * A call to a remote gateway: half the latency before it acts, half before its answer
   * arrives. In the second half the effect has happened but the caller does not know yet:
   * the window in which a crash makes an activity run again.
   */
  private async roundTrip<T>(act: () => Promise<T>): Promise<T> {
    const half = () => new Promise((r) => setTimeout(r, this.options.latencyMs / 2));
    if (this.options.latencyMs > 0) await half();
    const answer = await act();
    if (this.options.latencyMs > 0) await half();
    return answer;
  }

  /**
   * `tok_flaky` makes the first attempts of each operation fail as a real gateway's timeouts
   * would. The count lives in the database so it survives a worker restart, and is committed
   * on its own, outside the operation's transaction.
   */
  private async failIfFlaky(token: string, operation: string, idempotencyKey: string): Promise<void> {
    if (token !== 'tok_flaky') return;
    const key = `payment.${operation}:${idempotencyKey}`;
    const row = await this.db
      .insertInto('simulated_faults')
      .values({ key, failures: 1 })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb('simulated_faults.failures', '+', 1) })))
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (row.failures <= FLAKY_FAILURES_PER_OPERATION) {
      throw new TransientError('GatewayUnavailable', `gateway timed out on ${operation} (simulated, attempt ${row.failures})`);
    }
  }
}

function toPayment(row: { id: string; order_id: string; amount_cents: number; status: ProviderPaymentStatus }): Payment {
  return { paymentId: row.id, orderId: row.order_id, amountCents: row.amount_cents, status: row.status };
}

async function loadPayment(db: Db | Trx, paymentId: string): Promise<Payment | undefined> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  return row && toPayment(row);
}
