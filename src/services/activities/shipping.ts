// Shipping activities over the carrier: book a shipment, or cancel it.
import type { Carrier } from '..';
import type { OrderItem, ShippingAddress } from '../../shop';

export function shippingActivities(carrier: Carrier) {
  return {
    async createShipment(input: { idempotencyKey: string; orderId: string; address: ShippingAddress; items: OrderItem[] }) {
      return carrier.createShipment(input);
    },
    async cancelShipment(input: { idempotencyKey: string; shipmentId: string }) {
      return carrier.cancelShipment(input);
    },
  };
}
