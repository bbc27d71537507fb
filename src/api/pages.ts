// The shop's web pages, plain HTML and a little JavaScript served as files: the customer's page,
// the barista board, an order's tracking page and the API reference, with the OpenAPI document it
// reads. No build step: the browser runs them as written.
import path from 'node:path';
import express, { type Response, Router } from 'express';
import { openApiDocument } from './openapi';

/** The pages' folder, found from src/api (tests) and dist/api (built) alike. */
export const WEB_DIR = path.resolve(__dirname, '..', '..', 'web');

export function pageRoutes(): Router {
  const router = Router();
  const page = (file: string) => (_req: unknown, res: Response) => res.sendFile(path.join(WEB_DIR, file));
  router.get('/', page('index.html'));
  router.get('/barista', page('barista.html'));
  router.get('/track/orders/:orderId', page('track.html'));
  router.get('/track/coffee/orders/:orderId', page('track.html'));
  router.get('/docs', page('docs.html'));
  let document: ReturnType<typeof openApiDocument> | undefined;
  router.get('/openapi.json', (_req, res) => {
    document ??= openApiDocument();
    res.json(document);
  });
  router.use('/web', express.static(WEB_DIR, { index: false, maxAge: '5m' }));
  return router;
}
