// The order API: customers place, read, follow and cancel their orders; only the carrier reports
// shipments; the warehouse keeps the catalog. Each endpoint is declared once (the route table):
// the app serves it and /openapi.json documents it from the same declaration.
import type { HttpDeps } from '../platform/http/deps';
import { endpoint } from '../platform/http/endpoint';
import { updateId } from '../platform/http/idempotency-key';
import { acting, idempotencyKey, invalid, notFound, orderInPath, pathOrder, placing, reading, unavailable } from '../platform/http/order-endpoints';
import { HttpProblem } from '../platform/http/problem';
import { sendUpdate } from '../platform/http/workflow-update';
import type { Services } from '../services';
import { CustomerIdAttribute, OrderStatusAttribute } from '../shop';
import { skuSchema } from '../shop/schemas';
import { orderKind } from './kind';
import { cancelOrder, reportShipmentEvent } from './messages';
import { finalOrderStatuses, type OrderInput, type OrderView, receivedOrderView } from './order';
import type { orderFulfillment } from './order-fulfillment';
import { cancelBodySchema, inventoryItemSchema, itemBodySchema, orderViewSchema, placeOrderSchema, shipmentAcceptedSchema, shipmentEventSchema } from './schemas';

/** What the order routes need besides the HTTP plumbing. */
export interface OrderDeps extends HttpDeps {
  services: Pick<Services, 'inventory'>;
  /** How long the carrier has to collect an order before it is cancelled and undone. */
  dispatchDeadlineHours: number;
}

/** The catalog and its stock are the warehouse's: prices and quantities are staff business. */
const catalogItem = { path: '/inventory/{sku}', tag: 'staff', who: { staff: ['warehouse'] }, params: { sku: skuSchema } } as const;

export const orderEndpoints = [
  placing<OrderDeps, typeof placeOrderSchema._output, typeof orderFulfillment>(
    orderKind,
    { summary: 'Place an order; prices come from the catalog', tag: 'orders', body: { schema: placeOrderSchema, is: 'the order' }, refusal: 'an unknown sku, or the key reused with another body', what: 'order', actions: { cancel: 'cancel it' } },
    async ({ deps, body: order }, orderId) => {
      await requireKnownSkus(deps, order.items.map((i) => i.sku));
      const input: OrderInput = { ...order, orderId, dispatchDeadlineHours: deps.dispatchDeadlineHours };
      return {
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
      };
    },
  ),
  ...reading<OrderView>(orderKind, { what: 'order', tag: 'orders', view: orderViewSchema, final: finalOrderStatuses }),
  acting(orderKind, 'cancel', { summary: 'Cancel the order: every step done is undone', tag: 'orders', who: 'customers', view: orderViewSchema, body: { schema: cancelBodySchema, is: 'the cancellation' } }, ({ body }) => ({
    update: cancelOrder,
    args: [{ reason: body?.reason }],
  })),
  endpoint<HttpDeps, typeof shipmentEventSchema._output>({
    method: 'post',
    path: '/orders/{orderId}/shipment-events',
    summary: "The carrier's webhook: the parcel left, or arrived",
    tag: 'orders',
    who: 'carrier',
    params: orderInPath,
    body: { schema: shipmentEventSchema, is: 'the shipment event' },
    headers: idempotencyKey,
    answers: { 202: ['the order has taken it', shipmentAcceptedSchema], 400: invalid, 404: notFound, 409: ['the order has no parcel on its way', 'problem'], 503: unavailable },
    handle: async (call) => {
      const order = pathOrder(call, orderKind);
      const { event } = call.body;
      // The workflow decides whether the order has a parcel on its way (409 when not).
      await sendUpdate(call.deps, { order, update: reportShipmentEvent, args: [{ event }], updateId: updateId(call.req, 'carrier') });
      call.res.status(202).json({ orderId: order.orderId, event, accepted: true });
    },
  }),
  endpoint<OrderDeps, typeof itemBodySchema._output>({
    ...catalogItem,
    method: 'put',
    summary: 'Put an item in the catalog with its price and stock',
    body: { schema: itemBodySchema, is: 'the item' },
    answers: { 200: ['the item', inventoryItemSchema], 400: invalid, 409: ['the name is a café ingredient', 'problem'] },
    handle: async ({ deps, params, body, res }) => res.json(await deps.services.inventory.upsertItem({ sku: params.sku!, ...body })),
  }),
  endpoint<OrderDeps>({
    ...catalogItem,
    method: 'get',
    summary: "An item's price and stock",
    answers: { 200: ['the item', inventoryItemSchema], 400: invalid, 404: ['not in the catalog', 'problem'] },
    handle: async ({ deps, params, res }) => {
      const item = await deps.services.inventory.getItem(params.sku!);
      if (!item) throw new HttpProblem(404, 'Not found', `sku "${params.sku}" is not in the catalog`);
      res.json(item);
    },
  }),
];

/** The early 422 before any workflow starts; the inventory service checks again when it reserves. */
async function requireKnownSkus(deps: OrderDeps, skus: string[]): Promise<void> {
  const unknown = new Set(await deps.services.inventory.unknownSkus(skus));
  if (unknown.size === 0) return;
  const errors = skus.flatMap((sku, i) => (unknown.has(sku) ? [{ field: `items[${i}].sku`, message: `"${sku}" is not in the catalog` }] : []));
  throw new HttpProblem(422, 'Unknown items', `the catalog has no ${[...unknown].join(', ')}`, errors);
}
