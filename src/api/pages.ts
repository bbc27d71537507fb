// The shop's web pages, plain HTML and a little JavaScript served as files: the customer's page,
// the barista board and an order's tracking page. No build step: the browser runs them as written.
import path from 'node:path';
import express, { type Response, Router } from 'express';

/** The pages' folder, found from src/api (tests) and dist/api (built) alike. */
export const WEB_DIR = path.resolve(__dirname, '..', '..', 'web');

export function pageRoutes(): Router {
  const router = Router();
  const page = (file: string) => (_req: unknown, res: Response) => res.sendFile(path.join(WEB_DIR, file));
  router.get('/', page('index.html'));
  router.get('/barista', page('barista.html'));
  router.get(['/track/orders/:orderId', '/track/coffee/orders/:orderId'], page('track.html'));
  router.use('/web', express.static(WEB_DIR, { index: false, maxAge: '5m' }));
  return router;
}
