// The shop's web pages, plain HTML and a little JavaScript served as files: the customer's page,
// the barista board, an order's tracking page and the API reference, with the OpenAPI document it
// reads. No build step: the browser runs them as written.
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { orderIdSchema } from '../../shop/schemas';
import type { WorkflowKind } from '../../shop/workflow-kind';
import { type Endpoint, endpoint } from './endpoint';
import { openApiDocument } from './openapi';

/** The pages' folder, found from src/platform/http (tests) and dist/platform/http (built) alike. */
export const WEB_DIR = path.resolve(__dirname, '..', '..', '..', 'web');

/** The pages' scripts and styles: files, not endpoints. */
export const webFiles: RequestHandler = express.static(WEB_DIR, { index: false, maxAge: '5m' });

const page = (path: string, file: string, summary: string): Endpoint =>
  endpoint({
    method: 'get',
    path,
    summary,
    tag: 'pages',
    who: 'anyone',
    ...(path.includes('{orderId}') ? { params: { orderId: orderIdSchema } } : {}),
    answers: { 200: ['the page', 'html'] },
    handle: ({ res }) => res.sendFile(`${WEB_DIR}/${file}`),
  });

/** The pages (a tracking page for each kind), and the OpenAPI document of every endpoint the app serves (`all`, these included). */
export function pageEndpoints(kinds: readonly WorkflowKind[], all: () => readonly Endpoint[]): Endpoint[] {
  let document: ReturnType<typeof openApiDocument> | undefined;
  return [
    page('/', 'index.html', "The customer's page: the menu, an order form, the order live"),
    page('/barista', 'barista.html', 'The barista board'),
    ...kinds.map((kind) => page(`/track${kind.basePath}/{orderId}`, 'track.html', `The ${kind.noun}'s page: its saga, live`)),
    endpoint({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      tag: 'operations',
      who: 'anyone',
      answers: { 200: ['OpenAPI 3.2', 'text'] },
      handle: ({ res }) => res.json((document ??= openApiDocument(all()))),
    }),
    page('/docs', 'docs.html', 'This document, as a page to read'),
  ];
}
