// The workflows this project registers with its workers.
export { orderFulfillment } from './orders/order-fulfillment';
export { coffeeOrder } from './coffee/coffee-order';
export { reconcileShop } from './reconciliation/reconcile-shop';
