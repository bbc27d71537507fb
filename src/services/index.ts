// The systems the activities talk to, built over one business database.
import type { Db } from '../platform/db/database';
import { Carrier } from './carrier';
import { EventOutbox } from './event-outbox';
import { InventoryService } from './inventory';
import { NotificationOutbox } from './notification-outbox';
import { PaymentGateway } from './payment-gateway';

export { Carrier, EventOutbox, InventoryService, NotificationOutbox, PaymentGateway };

export interface Services {
  inventory: InventoryService;
  gateway: PaymentGateway;
  carrier: Carrier;
  notificationOutbox: NotificationOutbox;
  eventOutbox: EventOutbox;
}

export interface ServiceOptions {
  /** The simulated gateway's response time (default 0). */
  gatewayLatencyMs?: number;
}

export function createServices(db: Db, options: ServiceOptions = {}): Services {
  return {
    inventory: new InventoryService(db),
    gateway: new PaymentGateway(db, { latencyMs: options.gatewayLatencyMs ?? 0 }),
    carrier: new Carrier(db),
    notificationOutbox: new NotificationOutbox(db),
    eventOutbox: new EventOutbox(db),
  };
}
