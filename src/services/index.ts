// The systems the activities talk to, built over one business database.
import type { Db } from '../db/database';
import { Carrier } from './carrier';
import { InventoryService } from './inventory';
import { NotificationOutbox } from './notifications';
import { PaymentGateway } from './payment-gateway';

export { Carrier, InventoryService, NotificationOutbox, PaymentGateway };

export interface Services {
  inventory: InventoryService;
  gateway: PaymentGateway;
  carrier: Carrier;
  notifier: NotificationOutbox;
}

export function createServices(db: Db): Services {
  return {
    inventory: new InventoryService(db),
    gateway: new PaymentGateway(db),
    carrier: new Carrier(db),
    notifier: new NotificationOutbox(db),
  };
}
