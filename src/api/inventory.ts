// HTTP routes for warehouse stock: put an item in the catalog, read its stock.
import { Router } from 'express';
import { z } from 'zod';
import { skuSchema } from '../domain/schemas';
import type { ApiDeps } from './deps';
import { HttpProblem, parseOr400 } from './problem';
import { staffOnly } from './staff-auth';

const MAX_UNITS = 1_000_000_000;

export const itemBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  priceCents: z.number().int('priceCents is whole cents').min(0).max(MAX_UNITS),
  available: z.number().int().min(0).max(MAX_UNITS),
});

/** The catalog and its stock are the warehouse's: prices and quantities are staff business. */
export function inventoryRoutes(deps: ApiDeps): Router {
  const { services } = deps;
  const router = Router();
  const warehouse = staffOnly(deps, ['warehouse']);
  router.put('/inventory/:sku', warehouse, async (req, res) => {
    const sku = parseOr400(skuSchema, req.params.sku, 'the path', 'sku');
    const body = parseOr400(itemBodySchema, req.body, 'the item');
    res.json(await services.inventory.upsertItem({ sku, ...body }));
  });
  router.get('/inventory/:sku', warehouse, async (req, res) => {
    const sku = parseOr400(skuSchema, req.params.sku, 'the path', 'sku');
    const item = await services.inventory.getItem(sku);
    if (!item) throw new HttpProblem(404, 'Not found', `sku "${sku}" is not in the catalog`);
    res.json(item);
  });
  return router;
}
