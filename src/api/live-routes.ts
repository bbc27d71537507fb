// The live streams the pages follow: an order's view as its workflow publishes it, and the
// barista board (orders queued, being made and ready to hand over, oldest first).
import { type RequestHandler, Router } from 'express';
import { boardStatuses, type CoffeeView, finalCoffeeStatuses, finalOrderStatuses, type OrderView } from '../domain';
import { coffeeKind, orderKind } from '../domain/workflow-kinds';
import { baristaQueue } from './coffee';
import type { ApiDeps } from './deps';
import type { LiveReads } from './live';
import { staffOnly } from './staff-auth';
import { orderInPath, readView } from './workflow-view';

export function liveRoutes(deps: ApiDeps, live: LiveReads, forCustomers: RequestHandler): Router {
  const router = Router();

  router.get('/orders/:orderId/events', forCustomers, (req, res) => {
    const order = orderInPath(deps.client, orderKind, req);
    live.follow(order.handle.workflowId, { read: () => readView<OrderView>(order), final: (v) => finalOrderStatuses.includes(v.status) }, req, res);
  });

  router.get('/coffee/orders/:orderId/events', forCustomers, (req, res) => {
    const order = orderInPath(deps.client, coffeeKind, req);
    live.follow(order.handle.workflowId, { read: () => readView<CoffeeView>(order), final: (v) => finalCoffeeStatuses.includes(v.status) }, req, res);
  });

  router.get('/coffee/board/events', staffOnly(deps, ['barista']), (req, res) => {
    const read = async () => ({
      claimSlaSeconds: deps.coffeeClaimSlaSeconds,
      orders: await baristaQueue(deps, boardStatuses),
    });
    live.follow(`board:${deps.taskQueue}`, { read }, req, res);
  });

  return router;
}
