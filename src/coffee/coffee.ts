// The coffee shop: menu, recipes, pricing, statuses and the order view (the workflow sandbox
// loads this; the API's zod schemas are in ./schemas).
import type { FailureRecord } from '../shop/failures';
import type { OrderItem, PaymentToken, PaymentView, StepRecord } from '../shop/shop';

export const Sizes = ['small', 'medium', 'large'] as const;
export type Size = (typeof Sizes)[number];

export const Drinks = ['espresso', 'americano', 'latte', 'cappuccino', 'tea'] as const;
export type Drink = (typeof Drinks)[number];

/** What each ingredient is counted in. */
export const ingredientUnits = {
  'espresso-beans': 'g',
  milk: 'ml',
  'tea-bags': 'bags',
  cups: 'cups',
} as const;
export type Ingredient = keyof typeof ingredientUnits;

export interface MenuItem {
  drink: Drink;
  sizes: Record<Size, number>;
  /** Ingredients for one drink of any size: a larger size is more water, not more coffee. */
  recipe: Partial<Record<Ingredient, number>>;
}

export const menu: readonly MenuItem[] = [
  { drink: 'espresso', sizes: { small: 250, medium: 300, large: 350 }, recipe: { 'espresso-beans': 18, cups: 1 } },
  { drink: 'americano', sizes: { small: 300, medium: 350, large: 400 }, recipe: { 'espresso-beans': 18, cups: 1 } },
  { drink: 'latte', sizes: { small: 400, medium: 450, large: 500 }, recipe: { 'espresso-beans': 18, milk: 250, cups: 1 } },
  { drink: 'cappuccino', sizes: { small: 380, medium: 430, large: 480 }, recipe: { 'espresso-beans': 18, milk: 150, cups: 1 } },
  { drink: 'tea', sizes: { small: 250, medium: 280, large: 310 }, recipe: { 'tea-bags': 1, cups: 1 } },
];

/** A day: a drink left longer than that is not coming back for. */
export const MAX_PICKUP_SECONDS = 86_400;
export const DEFAULT_PICKUP_TIMEOUT_SECONDS = 1800;

export interface CoffeeItem {
  drink: Drink;
  size: Size;
  quantity: number;
}

/** What a customer sends to order coffee: drinks by name and size, priced from the menu. */
export interface PlaceCoffeeOrder {
  customerName: string;
  items: CoffeeItem[];
  paymentToken: PaymentToken;
  /** How long the drinks wait on the counter; at most MAX_PICKUP_SECONDS. */
  pickupTimeoutSeconds?: number;
}

export interface CoffeeInput extends PlaceCoffeeOrder {
  orderId: string;
  pickupTimeoutSeconds: number;
  /** How long an order may wait in the queue before the shift manager hears of it. */
  claimSlaSeconds: number;
}

/** In the order a coffee order goes through them: none moves to a status listed before its own (live reads rely on it). */
export const coffeeStatuses = ['RECEIVED', 'PAID', 'QUEUED', 'PREPARING', 'READY', 'PICKED_UP', 'CANCELLED', 'FAILED', 'ABANDONED', 'NEEDS_ATTENTION'] as const;
export type CoffeeStatus = (typeof coffeeStatuses)[number];
export const finalCoffeeStatuses: readonly CoffeeStatus[] = ['PICKED_UP', 'CANCELLED', 'FAILED', 'ABANDONED', 'NEEDS_ATTENTION'];
/** The barista queue: orders waiting for a barista or being made. */
export const queueStatuses: readonly CoffeeStatus[] = ['QUEUED', 'PREPARING'];
/** The barista board: the queue, and drinks on the counter waiting to be handed over. */
export const boardStatuses: readonly CoffeeStatus[] = [...queueStatuses, 'READY'];

export interface CoffeeView {
  orderId: string;
  customerName: string;
  status: CoffeeStatus;
  items: (CoffeeItem & { unitPriceCents: number })[];
  totalCents: number;
  barista: string | null;
  payment: PaymentView;
  steps: StepRecord[];
  compensations: StepRecord[];
  failure: FailureRecord | null;
}

/** A coffee order as placed, before its workflow has done anything: the view the API records at start. */
export function receivedCoffeeView(input: CoffeeInput): CoffeeView {
  const priced = priceCoffee(input.items);
  return {
    orderId: input.orderId,
    customerName: input.customerName,
    status: 'RECEIVED',
    items: priced.lines,
    totalCents: priced.totalCents,
    barista: null,
    payment: { status: 'PENDING', paymentId: null },
    steps: [],
    compensations: [],
    failure: null,
  };
}

export function menuItem(drink: Drink): MenuItem {
  return menu.find((m) => m.drink === drink)!;
}

/** Prices come from the menu, never from the client. */
export function priceCoffee(items: CoffeeItem[]): { lines: CoffeeView['items']; totalCents: number } {
  const lines = items.map((i) => ({ ...i, unitPriceCents: menuItem(i.drink).sizes[i.size] }));
  return { lines, totalCents: lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0) };
}

/** Everything the order's drinks take, added up per ingredient, as stock lines. */
export function ingredientsFor(items: CoffeeItem[]): OrderItem[] {
  const totals = new Map<string, number>();
  for (const item of items) {
    for (const [ingredient, amount] of Object.entries(menuItem(item.drink).recipe)) {
      totals.set(ingredient, (totals.get(ingredient) ?? 0) + amount * item.quantity);
    }
  }
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([sku, quantity]) => ({ sku, quantity }));
}
