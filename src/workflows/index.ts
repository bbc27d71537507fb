// The workflows this project registers with its workers.
export { orderFulfillment } from './order-fulfillment';
export { coffeeOrder } from './coffee-order';
