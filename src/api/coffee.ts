// HTTP routes for the coffee shop: menu, ingredients, orders, the barista queue and its actions.
import { randomUUID } from 'node:crypto';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { type CoffeeInput, type CoffeeStatus, CoffeeStatusAttribute, DEFAULT_PICKUP_TIMEOUT_SECONDS, ingredientUnits, menu, type CoffeeView, formatCents, priceCoffee, queueStatuses, receivedCoffeeView } from '../domain';
import { ingredientNameSchema, placeCoffeeOrderSchema } from '../domain/schemas';
import { coffeeKind } from '../domain/workflow-kinds';
import type { ApiMetrics } from '../observability/metrics';
import type { coffeeOrder } from '../workflows/coffee-order';
import { cancelCoffee, claimCoffee, markCoffeeReady, pickUpCoffee, reportCoffeeFailure } from '../workflows/messages';
import { type ApiDeps, temporalUiLink } from './deps';
import { requestedOrderId, updateId } from './idempotency-key';
import { HttpProblem, parseOr400 } from './problem';
import { staffMember, staffOnly } from './staff-auth';
import { startOrderOnce } from './start-workflow';
import { withinDeadline } from './temporal-errors';
import { answerUpdate, type UpdateRequest } from './workflow-update';
import { orderInPath, READ_DEADLINE_MS, readView } from './workflow-view';

export const ingredientBodySchema = z.strictObject({ available: z.number().int().min(0).max(1_000_000_000) });
export const failBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const noBodySchema = z.strictObject({}).optional();

/** The queue lists at most this many orders: a shop with more has a bigger problem. */
const QUEUE_LIMIT = 200;

/**
 * Customers read the menu, order, read, cancel and pick up (rate-limited); baristas work the
 * queue and the café's stock with a staff token, and a claim names the barista the token names.
 */
export function coffeeRoutes(deps: ApiDeps, metrics: Pick<ApiMetrics, 'started'>, forCustomers: RequestHandler): Router {
  const router = Router();
  const { inventory } = deps.services;
  const barista = staffOnly(deps, ['barista']);
  const stockKeeper = staffOnly(deps, ['barista', 'warehouse']);

  router.get('/coffee/menu', forCustomers, (_req, res) => {
    res.json(menu);
  });

  router.put('/coffee/ingredients/:name', stockKeeper, async (req, res) => {
    const name = parseOr400(ingredientNameSchema, req.params.name, 'the path', 'name');
    const { available } = parseOr400(ingredientBodySchema, req.body, 'the ingredient');
    const unit = (ingredientUnits as Record<string, string>)[name] ?? null;
    res.json(await inventory.upsertIngredient({ name, available, unit }));
  });

  router.get('/coffee/ingredients/:name', stockKeeper, async (req, res) => {
    const name = parseOr400(ingredientNameSchema, req.params.name, 'the path', 'name');
    const ingredient = await inventory.getIngredient(name);
    if (!ingredient) throw new HttpProblem(404, 'Not found', `the café has no ingredient "${name}"`);
    res.json(ingredient);
  });

  router.post('/coffee/orders', forCustomers, async (req, res) => {
    const orderId = requestedOrderId(req) ?? randomUUID();
    const order = parseOr400(placeCoffeeOrderSchema, req.body, 'the coffee order');
    const input: CoffeeInput = {
      ...order,
      orderId,
      pickupTimeoutSeconds: order.pickupTimeoutSeconds ?? DEFAULT_PICKUP_TIMEOUT_SECONDS,
      claimSlaSeconds: deps.coffeeClaimSlaSeconds,
    };
    await startOrderOnce<typeof coffeeOrder>(res, deps, metrics, coffeeKind, {
      orderId,
      args: [input],
      request: order,
      view: receivedCoffeeView(input),
      ...coffeeSummary(input),
      // The queue shows who ordered what without asking each workflow.
      memo: { customerName: order.customerName, items: order.items },
      searchAttributes: [{ key: CoffeeStatusAttribute, value: 'RECEIVED' }],
    });
  });

  router.get('/coffee/orders/:orderId', forCustomers, async (req, res) => {
    res.json(await readView<CoffeeView>(orderInPath(deps.client, coffeeKind, req)));
  });

  router.get('/coffee/queue', barista, async (_req, res) => {
    res.json(await baristaQueue(deps, queueStatuses));
  });

  /** Each action is an Update: the workflow's validator refuses it (409) or carries it out. */
  type Action = Pick<UpdateRequest<CoffeeView, any[]>, 'update' | 'args'>;
  const action = (path: string, who: RequestHandler, read: (req: Request, res: Response) => Action) =>
    router.post(`/coffee/orders/:orderId/${path}`, who, async (req, res) => {
      const order = orderInPath(deps.client, coffeeKind, req);
      await answerUpdate(res, deps, { order, ...read(req, res), updateId: updateId(req, path) });
    });

  action('claim', barista, (req, res) => {
    parseOr400(noBodySchema, req.body, 'the claim');
    return { update: claimCoffee, args: [{ barista: staffMember(res).name }] };
  });
  action('ready', barista, (req) => {
    parseOr400(noBodySchema, req.body, 'the request');
    return { update: markCoffeeReady, args: [] };
  });
  action('fail', barista, (req) => {
    const { reason } = parseOr400(failBodySchema, req.body, 'the failure report');
    return { update: reportCoffeeFailure, args: [{ reason }] };
  });
  action('pickup', forCustomers, (req) => {
    parseOr400(noBodySchema, req.body, 'the request');
    return { update: pickUpCoffee, args: [] };
  });
  action('cancel', forCustomers, (req) => {
    parseOr400(noBodySchema, req.body, 'the request');
    return { update: cancelCoffee, args: [] };
  });

  return router;
}

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

/**
 * The barista queue comes from Temporal's visibility (the CoffeeStatus search attribute and
 * each order's memo), not from a list kept in this process: every API instance sees the same.
 */
export function baristaQueue(deps: ApiDeps, wanted: readonly CoffeeStatus[]) {
  const statuses = wanted.map((s) => `'${s}'`).join(', ');
  const query = `WorkflowType = '${coffeeKind.workflowType}' AND ExecutionStatus = 'Running' AND TaskQueue = '${deps.taskQueue}' AND CoffeeStatus IN (${statuses})`;
  return withinDeadline(deps.client, READ_DEADLINE_MS, async () => {
    const queue = [];
    for await (const workflow of deps.client.workflow.list({ query })) {
      const memo = workflow.memo ?? {};
      queue.push({
        orderId: coffeeKind.orderIdOf(workflow.workflowId),
        status: workflow.typedSearchAttributes.get(CoffeeStatusAttribute),
        customerName: memo.customerName,
        items: memo.items,
        barista: memo.barista ?? null,
        orderedAt: workflow.startTime.toISOString(),
        temporalUi: temporalUiLink(deps, workflow.workflowId),
      });
      if (queue.length >= QUEUE_LIMIT) break;
    }
    return queue.sort((a, b) => a.orderedAt.localeCompare(b.orderedAt));
  });
}
