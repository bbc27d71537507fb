// Inventory activities: hold stock for an order, give it back, or hand it to the carrier; and
// the café's ingredients: set aside for a drink, returned, or used.
import type { InventoryService } from '..';
import type { OrderItem } from '../../shop';

export function inventoryActivities(inventory: InventoryService) {
  return {
    async reserveInventory(input: { idempotencyKey: string; orderId: string; items: OrderItem[] }) {
      return inventory.reserve(input);
    },
    async releaseInventory(input: { idempotencyKey: string; reservationId: string }) {
      return inventory.release(input);
    },
    async shipInventory(input: { idempotencyKey: string; reservationId: string }) {
      return inventory.ship(input);
    },
    async takeIngredients(input: { idempotencyKey: string; orderId: string; items: OrderItem[] }) {
      return inventory.reserve({ ...input, kind: 'ingredient' });
    },
    async returnIngredients(input: { idempotencyKey: string; reservationId: string }) {
      return inventory.release(input);
    },
    async useIngredients(input: { idempotencyKey: string; reservationId: string }) {
      return inventory.ship(input);
    },
  };
}
