// What the pages say for the API's codes: statuses, steps and failures in a customer's words.
// The codes stay in the API (and in the Temporal Web UI, for staff); only the pages translate.

const statuses = {
  orders: {
    RECEIVED: ['Received', 'we have your order'],
    INVENTORY_RESERVED: ['Items set aside', 'your items are set aside; checking your card'],
    PAYMENT_AUTHORIZED: ['Card approved', 'your card is approved; booking the carrier'],
    SHIPMENT_CREATED: ['Waiting for the carrier', 'packed and waiting for the carrier; you are charged when it leaves'],
    DISPATCHED: ['On its way', 'the carrier has your parcel'],
    COMPLETED: ['Delivered', 'enjoy!'],
    FAILED: ['Could not go through', 'nothing is charged'],
    CANCELLED: ['Cancelled', 'nothing is charged; any hold on your card is released'],
    NEEDS_ATTENTION: ['Being looked into', 'a person at the shop is looking into it'],
  },
  coffee: {
    RECEIVED: ['Received', 'we have your order'],
    PAID: ['Paid', 'paid; setting your ingredients aside'],
    QUEUED: ['Waiting for a barista', 'a barista will start on it soon'],
    PREPARING: ['Being made', 'a barista is making it'],
    READY: ['Ready', 'come and pick it up at the counter'],
    PICKED_UP: ['Picked up', 'enjoy!'],
    CANCELLED: ['Cancelled', 'you have been refunded'],
    FAILED: ['Could not be made', 'you have been refunded'],
    ABANDONED: ['Not picked up', 'it waited at the counter too long'],
    NEEDS_ATTENTION: ['Being looked into', 'a person at the shop is looking into it'],
  },
};

/** The status in a few words ("Being made"), and a sentence saying what it means for the customer. */
export function statusWords(kind, status) {
  const [short, sentence] = statuses[kind]?.[status] ?? [sentenceCase(status), ''];
  return { short, sentence };
}

/** Where a coffee stands, with the barista's name while it is made: "Being made by Ana", "Ready". */
export function coffeeStatusWords(order) {
  return order.status === 'PREPARING' && order.barista ? `Being made by ${order.barista}` : statusWords('coffee', order.status).short;
}

/** A coffee order's lines: "2 × latte (medium), 1 × tea (small)". */
export function coffeeLines(items) {
  return items.map((i) => `${i.quantity} × ${i.drink} (${i.size})`).join(', ');
}

const steps = {
  reserveInventory: 'Your items set aside',
  authorizePayment: 'Your card approved for the total',
  createShipment: 'The carrier booked',
  capturePayment: 'Your card charged',
  shipInventory: 'Your parcel handed to the carrier',
  takeIngredients: 'Ingredients set aside',
  chargePayment: 'Payment taken',
  useIngredients: 'Your drink made',
  releaseInventory: 'Your items put back on the shelf',
  voidAuthorization: 'The hold on your card released',
  refundPayment: 'Your money refunded',
  cancelShipment: 'The carrier booking cancelled',
  returnIngredients: 'Ingredients put back',
};

const messages = {
  'order-accepted': 'Confirmation emailed to you',
  'order-dispatched': 'Emailed you: on its way',
  'order-delivered': 'Emailed you: delivered',
  'order-cancelled': 'Emailed you: cancelled',
  'order-failed': 'Emailed you: could not go through',
  'coffee-ready': 'Your name called at the counter',
  'coffee-cancelled': 'Told the counter: cancelled',
  'coffee-failed': 'Told the counter: could not be made',
  'coffee-unclaimed': 'The shift manager told it was waiting',
};

/** A step of the saga as a customer reads it: "Your card approved for the total", "… did not go through: the card was declined". */
export function stepWords(step) {
  const template = step.name.startsWith('notify:') ? step.name.slice('notify:'.length) : undefined;
  const done = template ? (messages[template] ?? 'Message sent') : (steps[step.name] ?? sentenceCase(step.name));
  if (step.status !== 'FAILED') return done;
  const type = step.detail?.split(':')[0];
  return `${done}: did not go through${type ? ` (${failureWords(type)})` : ''}`;
}

const failures = {
  CardDeclined: 'the card was declined',
  InsufficientFunds: 'the card has not enough funds',
  InvalidPaymentToken: 'the card was not accepted',
  OutOfStock: 'not enough in stock',
  UnknownSku: 'an item is not in the catalog',
  AddressRejected: 'the carrier cannot deliver to that address',
  CarrierUnavailable: 'the carrier could not be reached',
  GatewayUnavailable: 'the card payment service could not be reached',
  BaristaFailed: 'the barista could not make it',
  TimedOut: 'it took too long',
  Cancelled: 'it was cancelled',
  CompensationFailed: 'a step could not be undone; the shop is on it',
  NeedsAttention: 'the shop is looking into it',
};

/** Why an order ended, in words: the failure's type when it is a known one, else its message. */
export function failureWords(type, message) {
  return failures[type] ?? message ?? sentenceCase(type).toLowerCase();
}

const payments = { PENDING: 'not taken yet', AUTHORIZED: 'held on your card', CAPTURED: 'paid', VOIDED: 'hold released, nothing charged', REFUNDED: 'refunded', DECLINED: 'declined' };
const shipments = { CREATED: 'booked, waiting for the carrier', DISPATCHED: 'on its way', DELIVERED: 'delivered', CANCELLED: 'cancelled' };

export const paymentWords = (status) => payments[status] ?? sentenceCase(status).toLowerCase();
export const shipmentWords = (status) => shipments[status] ?? sentenceCase(status).toLowerCase();

/** "PICKED_UP" → "Picked up", "someStep" → "Some step": for a code this file does not know yet. */
function sentenceCase(code) {
  const words = String(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_:-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
