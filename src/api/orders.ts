// HTTP routes for orders: validate, then translate into a workflow start, an Update, or a read of
// the view the workflow published.
import { randomUUID } from 'node:crypto';
import { type Request, Router } from 'express';
import { z } from 'zod';
import {
  CustomerIdAttribute,
  type OrderInput,
  type OrderView,
  OrderStatusAttribute,
  orderIdSchema,
  placeOrderSchema,
  receivedOrderView,
  ShipmentEvents,
} from '../domain';
import { cancelOrder, reportShipmentEvent } from '../workflows/messages';
import type { ApiMetrics } from '../observability/metrics';
import type { ApiDeps } from './deps';
import { idempotencyKey, updateId } from './idempotency-key';
import { HttpProblem, parseOr400 } from './problem';
import { acceptedOrder, startOnce } from './start-workflow';
import { sendUpdate } from './workflow-update';
import { readView, type ViewSource } from './workflow-view';

const cancelBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional();
const shipmentEventSchema = z.strictObject({ event: z.enum(ShipmentEvents) });

export const orderWorkflowId = (orderId: string): string => `order-${orderId}`;

export function orderRoutes(deps: ApiDeps, metrics: Pick<ApiMetrics, 'started'>): Router {
  const router = Router();

  router.post('/orders', async (req, res) => {
    const orderId = idempotencyKey(req) ?? randomUUID();
    const order = parseOr400(placeOrderSchema, req.body, 'the order');
    await requireKnownSkus(deps, order.items.map((i) => i.sku));
    const input: OrderInput = { ...order, orderId, dispatchDeadlineHours: deps.dispatchDeadlineHours };
    const workflowId = orderWorkflowId(orderId);
    const started = await startOnce(deps.client, {
      workflowType: 'orderFulfillment',
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      request: order,
      view: receivedOrderView(input),
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
    res.json(await readView<OrderView>(orderHandle(deps, orderId), orderSource(orderId)));
  });

  router.post('/orders/:orderId/cancel', async (req, res) => {
    const orderId = orderIdParam(req);
    const body = parseOr400(cancelBodySchema, req.body, 'the cancellation');
    const handle = orderHandle(deps, orderId);
    const source = orderSource(orderId);
    const settled = await sendUpdate(deps, { handle, source, update: cancelOrder, args: [{ reason: body?.reason }], updateId: updateId(req, 'cancel') });
    if (settled) res.json(settled);
    else res.status(202).json(await readView<OrderView>(handle, source));
  });

  router.post('/orders/:orderId/shipment-events', async (req, res) => {
    const orderId = orderIdParam(req);
    const { event } = parseOr400(shipmentEventSchema, req.body, 'the shipment event');
    // The workflow decides whether the order has a parcel on its way (409 when not).
    const handle = orderHandle(deps, orderId);
    await sendUpdate(deps, { handle, source: orderSource(orderId), update: reportShipmentEvent, args: [{ event }], updateId: updateId(req, 'carrier') });
    res.status(202).json({ orderId, event, accepted: true });
  });

  return router;
}

function orderHandle(deps: ApiDeps, orderId: string) {
  return deps.client.workflow.getHandle(orderWorkflowId(orderId));
}

function orderSource(orderId: string): ViewSource {
  return { what: `order "${orderId}"`, orderId, statusAttribute: OrderStatusAttribute };
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
