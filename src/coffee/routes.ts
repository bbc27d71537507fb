// The coffee API: customers read the menu, order, follow, cancel and pick up; baristas work the
// queue and the café's stock with a staff token, and a claim names the barista the token names.
// Each endpoint is declared once (the route table): served and documented from one declaration.
import type { HttpDeps } from '../platform/http/deps';
import { endpoint, noBodySchema } from '../platform/http/endpoint';
import { acting, invalid, placing, reading, unavailable } from '../platform/http/order-endpoints';
import { HttpProblem } from '../platform/http/problem';
import { staffMember } from '../platform/http/staff-auth';
import type { Services } from '../services';
import { CoffeeStatusAttribute, formatCents } from '../shop';
import { baristaQueue, boardShows } from './board';
import { boardStatuses, type CoffeeInput, type CoffeeView, DEFAULT_PICKUP_TIMEOUT_SECONDS, finalCoffeeStatuses, ingredientUnits, menu, priceCoffee, queueStatuses, receivedCoffeeView } from './coffee';
import type { coffeeOrder } from './coffee-order';
import { coffeeKind } from './kind';
import { cancelCoffee, claimCoffee, markCoffeeReady, pickUpCoffee, reportCoffeeFailure } from './messages';
import { boardSchema, coffeeViewSchema, failBodySchema, ingredientBodySchema, ingredientNameSchema, ingredientSchema, menuSchema, placeCoffeeOrderSchema, queueSchema } from './schemas';

/** What the coffee routes need besides the HTTP plumbing. */
export interface CoffeeDeps extends HttpDeps {
  services: Pick<Services, 'inventory'>;
  /** How long a coffee order may wait for a barista before the shift manager hears of it. */
  coffeeClaimSlaSeconds: number;
}

const barista = { staff: ['barista'] } as const;
const stockKeeper = { staff: ['barista', 'warehouse'] } as const;
const ingredientInPath = { name: ingredientNameSchema };
/** Each action answers the order as it then stands. */
const action = (summary: string, tag: 'coffee' | 'staff', who: typeof barista | 'customers') => ({ summary, tag, who, view: coffeeViewSchema });

export const coffeeEndpoints = [
  endpoint({
    method: 'get',
    path: '/coffee/menu',
    summary: 'Drinks, prices in cents by size, recipes',
    tag: 'coffee',
    who: 'customers',
    answers: { 200: ['the menu', menuSchema] },
    handle: ({ res }) => res.json(menu),
  }),
  endpoint<CoffeeDeps, typeof ingredientBodySchema._output>({
    method: 'put',
    path: '/coffee/ingredients/{name}',
    summary: "Set an ingredient's stock",
    tag: 'staff',
    who: stockKeeper,
    params: ingredientInPath,
    body: { schema: ingredientBodySchema, is: 'the ingredient' },
    answers: { 200: ['the ingredient', ingredientSchema], 400: invalid, 409: ['a catalog item has that name', 'problem'] },
    handle: async ({ deps, params, body, res }) => {
      const name = params.name!;
      const unit = (ingredientUnits as Record<string, string>)[name] ?? null;
      res.json(await deps.services.inventory.upsertIngredient({ name, available: body.available, unit }));
    },
  }),
  endpoint<CoffeeDeps>({
    method: 'get',
    path: '/coffee/ingredients/{name}',
    summary: "An ingredient's stock",
    tag: 'staff',
    who: stockKeeper,
    params: ingredientInPath,
    answers: { 200: ['the ingredient', ingredientSchema], 400: invalid, 404: ['the café has no such ingredient', 'problem'] },
    handle: async ({ deps, params, res }) => {
      const ingredient = await deps.services.inventory.getIngredient(params.name!);
      if (!ingredient) throw new HttpProblem(404, 'Not found', `the café has no ingredient "${params.name}"`);
      res.json(ingredient);
    },
  }),
  placing<CoffeeDeps, typeof placeCoffeeOrderSchema._output, typeof coffeeOrder>(
    coffeeKind,
    {
      summary: 'Order coffee; prices come from the menu',
      tag: 'coffee',
      body: { schema: placeCoffeeOrderSchema, is: 'the coffee order' },
      refusal: 'the key reused with another body',
      what: 'coffee order',
      actions: { pickup: 'the customer has the drinks', cancel: 'cancel while no barista has started' },
    },
    async ({ deps, body: order }, orderId) => {
      const input: CoffeeInput = { ...order, orderId, pickupTimeoutSeconds: order.pickupTimeoutSeconds ?? DEFAULT_PICKUP_TIMEOUT_SECONDS, claimSlaSeconds: deps.coffeeClaimSlaSeconds };
      return {
        args: [input],
        request: order,
        view: receivedCoffeeView(input),
        ...coffeeSummary(input),
        // The queue shows who ordered what without asking each workflow.
        memo: { customerName: order.customerName, items: order.items },
        searchAttributes: [{ key: CoffeeStatusAttribute, value: 'RECEIVED' }],
      };
    },
  ),
  ...reading<CoffeeView>(coffeeKind, { what: 'coffee order', tag: 'coffee', view: coffeeViewSchema, final: finalCoffeeStatuses }),
  acting(coffeeKind, 'claim', { ...action('Claim a queued order; the barista is the one the token names', 'staff', barista), body: { schema: noBodySchema, is: 'the claim' } }, ({ res }) => ({
    update: claimCoffee,
    args: [{ barista: staffMember(res).name }],
  })),
  acting(coffeeKind, 'ready', action('The drinks are made', 'staff', barista), () => ({ update: markCoffeeReady, args: [] })),
  acting(coffeeKind, 'fail', { ...action('The drinks cannot be made: the customer is refunded', 'staff', barista), body: { schema: failBodySchema, is: 'the failure report' } }, ({ body }) => ({
    update: reportCoffeeFailure,
    args: [{ reason: body.reason }],
  })),
  acting(coffeeKind, 'pickup', action('The customer has the drinks', 'coffee', 'customers'), () => ({ update: pickUpCoffee, args: [] })),
  acting(coffeeKind, 'cancel', action('Cancel while no barista has started: refunded', 'coffee', 'customers'), () => ({ update: cancelCoffee, args: [] })),
  endpoint<CoffeeDeps>({
    method: 'get',
    path: '/coffee/queue',
    summary: 'Orders queued and being made, oldest first',
    tag: 'staff',
    who: barista,
    answers: { 200: ['the queue', queueSchema], 503: unavailable },
    handle: async ({ deps, res }) => res.json(await baristaQueue(deps, queueStatuses)),
  }),
  endpoint<CoffeeDeps>({
    method: 'get',
    path: '/coffee/board/events',
    summary: 'The barista board, live: queued, being made and ready, oldest first',
    tag: 'staff',
    who: barista,
    answers: { 200: ['Server-Sent Events: `view` ({ claimSlaSeconds, orders }), `problem`', { events: boardSchema }] },
    handle: ({ deps, live, req, res }) => {
      const read = async () => ({ claimSlaSeconds: deps.coffeeClaimSlaSeconds, orders: await baristaQueue(deps, boardStatuses) });
      live.follow(`board:${deps.taskQueue}`, { read, everyChangeOf: 'coffee', shows: boardShows }, req, res);
    },
  }),
];

/** "Coffee for Ada: 2 × latte (medium), 9.00", and the order's lines and times, for the Web UI. */
function coffeeSummary(input: CoffeeInput): { summary: string; details: string } {
  const priced = priceCoffee(input.items);
  const lines = priced.lines.map((l) => `${l.quantity} × ${l.drink} (${l.size})`).join(', ');
  return {
    summary: `Coffee for ${input.customerName}: ${lines}, ${formatCents(priced.totalCents)}`,
    details: [
      ...priced.lines.map((l) => `- ${l.quantity} × ${l.drink}, ${l.size}: ${formatCents(l.quantity * l.unitPriceCents)}`),
      '',
      `**Barista** within ${Math.round(input.claimSlaSeconds / 60)} min · **pickup** within ${Math.round(input.pickupTimeoutSeconds / 60)} min`,
    ].join('\n'),
  };
}
