// What every kind of order in the shop shares: payment tokens, the ids in workflow ids and URLs,
// stock lines, money, payment statuses and the steps a saga records. Types and rules only: the
// workflow sandbox loads this, and the kinds (./order, ./coffee) build on it.

/**
 * The kinds of order the shop runs (src/orders/, src/coffee/), by the name events, metrics and
 * logs give them. A new kind adds its name here.
 */
export const kindNames = ['order', 'coffee'] as const;
export type KindName = (typeof kindNames)[number];

/** The simulated gateway's test tokens (README, "Try it"); the Stripe adapter maps them to Stripe's test cards. */
export const PaymentTokens = ['tok_ok', 'tok_declined', 'tok_insufficient_funds', 'tok_flaky'] as const;
/** A payment method from a provider's checkout (Stripe's PaymentMethod id), passed to the provider as it is. */
export const providerPaymentMethodPattern = /^pm_[A-Za-z0-9_]{1,100}$/;
export type PaymentToken = (typeof PaymentTokens)[number] | `pm_${string}`;
/** What a `paymentToken` must be, in words for a 400. */
export const paymentTokenRule = `one of ${PaymentTokens.join(', ')}, or a payment method from the provider's checkout (pm_…)`;

export function isPaymentToken(value: unknown): value is PaymentToken {
  return typeof value === 'string' && ((PaymentTokens as readonly string[]).includes(value) || providerPaymentMethodPattern.test(value));
}

/** SKUs and order ids (an Idempotency-Key becomes the order id) are safe in a workflow id and a URL. */
export const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const orderIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** A SKU and how many of it: a line of an order, or an ingredient a coffee order takes from stock. */
export interface OrderItem {
  sku: string;
  quantity: number;
}

/** Where a parcel goes: the carrier ships to it. */
export interface ShippingAddress {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, such as "DE". */
  country: string;
}

/**
 * How long the carrier has to collect a parcel: a card authorization lasts about a week.
 * DISPATCH_DEADLINE_HOURS defaults to it, and an order started before the deadline existed gets it.
 */
export const DEFAULT_DISPATCH_DEADLINE_HOURS = 72;

export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED' | 'DECLINED';

/** What the payment provider said of a payment after the saga took it: a dispute, or a refund made outside the shop. */
export interface ProviderPaymentEvent {
  /** The provider's event id: the same event twice is refused the second time. */
  eventId: string;
  paymentId: string;
  kind: 'dispute' | 'refund';
  amountCents: number;
  /** The provider's reason for a dispute ("fraudulent", "product_not_received"). */
  reason?: string;
  at: string;
}

/** An order's payment as its view shows it; `events` once the provider has said more of it. */
export interface PaymentView {
  status: PaymentStatus;
  paymentId: string | null;
  events?: ProviderPaymentEvent[];
}

/** One step of a saga as the customer and the operator see it. */
export interface StepRecord {
  name: string;
  status: 'COMPLETED' | 'FAILED';
  at: string;
  detail?: string;
}

/** The shop as its customers see it on its pages and in its emails (SHOP_NAME, CURRENCY). */
export interface ShopFace {
  name: string;
  /** ISO 4217, as Intl.NumberFormat takes it. */
  currency: string;
}

/** The shop's face when nothing says otherwise (the settings' defaults). */
export const defaultShopFace: ShopFace = { name: 'Corner Shop', currency: 'USD' };

/** Integer cents in a customer's words, with the currency: 2500, 'USD' → "$25.00"; 2500, 'EUR' → "€25.00". */
export function formatMoney(cents: number, currency: string, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

/** Integer cents as staff read them (the Web UI's summaries, the events' tail): 2500 → "25.00". */
export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}
