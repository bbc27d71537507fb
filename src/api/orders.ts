// HTTP routes for orders: validate, then translate into a workflow start, an Update, or a read of
// the view the workflow published.
import { randomUUID } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { CustomerIdAttribute, type OrderInput, type OrderView, OrderStatusAttribute, receivedOrderView, ShipmentEvents } from '../domain';
import { placeOrderSchema } from '../domain/schemas';
import { orderKind } from '../domain/workflow-kinds';
import type { ApiMetrics } from '../observability/metrics';
import type { orderFulfillment } from '../workflows/order-fulfillment';
import { cancelOrder, reportShipmentEvent } from '../workflows/messages';
import { carrierSigned } from './carrier-webhook';
import type { ApiDeps } from './deps';
import { requestedOrderId, updateId } from './idempotency-key';
import { HttpProblem, parseOr400 } from './problem';
import { startOrderOnce } from './start-workflow';
import { answerUpdate, sendUpdate } from './workflow-update';
import { orderInPath, readView } from './workflow-view';

export const cancelBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional();
export const shipmentEventSchema = z.strictObject({ event: z.enum(ShipmentEvents) });

/** Customers place, read and cancel their orders (rate-limited); only the carrier reports shipments. */
export function orderRoutes(deps: ApiDeps, metrics: Pick<ApiMetrics, 'started'>, forCustomers: RequestHandler): Router {
  const router = Router();

  router.post('/orders', forCustomers, async (req, res) => {
    const orderId = requestedOrderId(req) ?? randomUUID();
    const order = parseOr400(placeOrderSchema, req.body, 'the order');
    await requireKnownSkus(deps, order.items.map((i) => i.sku));
    const input: OrderInput = { ...order, orderId, dispatchDeadlineHours: deps.dispatchDeadlineHours };
    await startOrderOnce<typeof orderFulfillment>(res, deps, metrics, orderKind, {
      orderId,
      args: [input],
      request: order,
      view: receivedOrderView(input),
      summary: `Order ${orderId} for customer ${order.customerId}: ${order.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}`,
      details: [
        `**Ship to** ${order.shippingAddress.name}, ${order.shippingAddress.city} (${order.shippingAddress.country})`,
        `**Card** ${order.paymentToken} · **dispatch deadline** ${input.dispatchDeadlineHours} h`,
        `Prices come from the catalog when the stock is reserved.`,
      ].join('\n\n'),
      searchAttributes: [
        { key: OrderStatusAttribute, value: 'RECEIVED' },
        { key: CustomerIdAttribute, value: order.customerId },
      ],
    });
  });

  router.get('/orders/:orderId', forCustomers, async (req, res) => {
    res.json(await readView<OrderView>(orderInPath(deps.client, orderKind, req)));
  });

  router.post('/orders/:orderId/cancel', forCustomers, async (req, res) => {
    const order = orderInPath(deps.client, orderKind, req);
    const body = parseOr400(cancelBodySchema, req.body, 'the cancellation');
    await answerUpdate(res, deps, { order, update: cancelOrder, args: [{ reason: body?.reason }], updateId: updateId(req, 'cancel') });
  });

  router.post('/orders/:orderId/shipment-events', carrierSigned(deps), async (req, res) => {
    const order = orderInPath(deps.client, orderKind, req);
    const { event } = parseOr400(shipmentEventSchema, req.body, 'the shipment event');
    // The workflow decides whether the order has a parcel on its way (409 when not).
    await sendUpdate(deps, { order, update: reportShipmentEvent, args: [{ event }], updateId: updateId(req, 'carrier') });
    res.status(202).json({ orderId: order.orderId, event, accepted: true });
  });

  return router;
}

async function requireKnownSkus(deps: ApiDeps, skus: string[]): Promise<void> {
  const unknown = new Set(await deps.services.inventory.unknownSkus(skus));
  if (unknown.size === 0) return;
  const errors = skus.flatMap((sku, i) => (unknown.has(sku) ? [{ field: `items[${i}].sku`, message: `"${sku}" is not in the catalog` }] : []));
  throw new HttpProblem(422, 'Unknown items', `the catalog has no ${[...unknown].join(', ')}`, errors);
}
