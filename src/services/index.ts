// The systems the activities talk to, built over one business database.
import type { Db } from '../platform/db/database';
import { Carrier } from './carrier';
import { EventOutbox } from './event-outbox';
import { InventoryService } from './inventory';
import { Ledger } from './ledger';
import { NotificationOutbox } from './notification-outbox';
import { PaymentGateway } from './payment-gateway';
import type { PaymentProvider } from './payment-provider';
import { PaymentRecords } from './payment-records';
import { StripePayments } from './stripe-payments';

export { Carrier, EventOutbox, InventoryService, Ledger, NotificationOutbox, PaymentGateway, PaymentRecords, StripePayments };
export type { PaymentProvider };

export interface Services {
  inventory: InventoryService;
  /** The simulated gateway, in the business database (what tests look into). */
  gateway: PaymentGateway;
  /** Who the payment steps call: the simulated gateway unless another provider is given. */
  payments: PaymentProvider;
  /** Which order each of the provider's payments is for, and what the provider said of it later. */
  paymentRecords: PaymentRecords;
  carrier: Carrier;
  notificationOutbox: NotificationOutbox;
  eventOutbox: EventOutbox;
  /** What the reconciliation reads, and its runs. */
  ledger: Ledger;
}

export interface ServiceOptions {
  /** The simulated gateway's response time (default 0). */
  gatewayLatencyMs?: number;
  /** The payment provider, when it is not the simulated gateway (PAYMENT_PROVIDER=stripe). */
  payments?: PaymentProvider;
}

export function createServices(db: Db, options: ServiceOptions = {}): Services {
  const gateway = new PaymentGateway(db, { latencyMs: options.gatewayLatencyMs ?? 0 });
  return {
    inventory: new InventoryService(db),
    gateway,
    payments: options.payments ?? gateway,
    paymentRecords: new PaymentRecords(db),
    carrier: new Carrier(db),
    notificationOutbox: new NotificationOutbox(db),
    eventOutbox: new EventOutbox(db),
    ledger: new Ledger(db),
  };
}
