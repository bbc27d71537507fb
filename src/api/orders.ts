// HTTP routes for orders: validate, then translate into a workflow start, update, signal or query.
import { randomUUID } from 'node:crypto';
import { type Request, Router } from 'express';
import { z } from 'zod';
import {
  CustomerIdAttribute,
  type OrderInput,
  OrderStatusAttribute,
  orderIdSchema,
  placeOrderSchema,
  ShipmentEvents,
} from '../domain';
import { cancelOrder, getOrder, shipmentEvent } from '../workflows/messages';
import type { ApiMetrics } from '../observability/metrics';
import type { ApiDeps } from './deps';
import { idempotencyKey } from './idempotency-key';
import { HttpProblem, parseOr400 } from './problem';
import { acceptedOrder, startOnce } from './start-workflow';
import { updateWorkflow } from './temporal-errors';
import { readView } from './workflow-view';

const cancelBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional();
const shipmentEventSchema = z.strictObject({ event: z.enum(ShipmentEvents) });

/** The carrier's events make sense only while a shipment is booked or on its way. */
const awaitingCarrier = new Set(['SHIPMENT_CREATED', 'DISPATCHED']);

export const orderWorkflowId = (orderId: string): string => `order-${orderId}`;

export function orderRoutes(deps: ApiDeps, metrics: Pick<ApiMetrics, 'started'>): Router {
  const router = Router();

  router.post('/orders', async (req, res) => {
    const orderId = idempotencyKey(req) ?? randomUUID();
    const order = parseOr400(placeOrderSchema, req.body, 'the order');
    await requireKnownSkus(deps, order.items.map((i) => i.sku));
    const input: OrderInput = { ...order, orderId };
    const workflowId = orderWorkflowId(orderId);
    const started = await startOnce(deps.client, {
      workflowType: 'orderFulfillment',
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      request: order,
      searchAttributes: [
        { key: OrderStatusAttribute, value: 'RECEIVED' },
        { key: CustomerIdAttribute, value: order.customerId },
      ],
      statusAttribute: OrderStatusAttribute,
    });
    if (started.created) metrics.started('order');
    Object.assign(res.locals, { orderId, workflow: 'order' });
    res.status(202).json(acceptedOrder(deps, started, { orderId, workflowId, self: `/orders/${orderId}` }));
  });

  router.get('/orders/:orderId', async (req, res) => {
    const orderId = orderIdParam(req);
    res.json(await readView(orderHandle(deps, orderId), `order "${orderId}"`, getOrder));
  });

  router.post('/orders/:orderId/cancel', async (req, res) => {
    const orderId = orderIdParam(req);
    const body = parseOr400(cancelBodySchema, req.body, 'the cancellation');
    const handle = orderHandle(deps, orderId);
    const order = await updateWorkflow(handle, `order "${orderId}"`, OrderStatusAttribute, () =>
      handle.executeUpdate(cancelOrder, { args: [{ reason: body?.reason }] }),
    );
    res.json(order);
  });

  router.post('/orders/:orderId/shipment-events', async (req, res) => {
    const orderId = orderIdParam(req);
    const { event } = parseOr400(shipmentEventSchema, req.body, 'the shipment event');
    const handle = orderHandle(deps, orderId);
    const order = await readView(handle, `order "${orderId}"`, getOrder);
    if (!awaitingCarrier.has(order.status)) {
      throw new HttpProblem(409, 'Conflict', `order "${orderId}" is ${order.status}: it has no shipment on its way`);
    }
    await handle.signal(shipmentEvent, { event });
    res.status(202).json({ orderId, event, accepted: true });
  });

  return router;
}

function orderHandle(deps: ApiDeps, orderId: string) {
  return deps.client.workflow.getHandle(orderWorkflowId(orderId));
}

function orderIdParam(req: Request): string {
  return parseOr400(orderIdSchema, req.params.orderId, 'the path', 'orderId');
}

async function requireKnownSkus(deps: ApiDeps, skus: string[]): Promise<void> {
  const unknown = new Set(await deps.services.inventory.unknownSkus(skus));
  if (unknown.size === 0) return;
  const errors = skus.flatMap((sku, i) => (unknown.has(sku) ? [{ field: `items[${i}].sku`, message: `"${sku}" is not in the catalog` }] : []));
  throw new HttpProblem(422, 'Unknown items', `the catalog has no ${[...unknown].join(', ')}`, errors);
}
