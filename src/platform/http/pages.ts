// The shop's web pages, plain HTML and a little JavaScript served as files: the customer's page,
// the barista board, an order's tracking page and the API reference, with the OpenAPI document it
// reads. No build step: the browser runs them as written.
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { orderIdSchema } from '../../shop/schemas';
import type { WorkflowKind } from '../../shop/workflow-kind';
import { defaultShopFace } from '../../shop';
import type { HttpDeps } from './deps';
import { type Endpoint, endpoint } from './endpoint';
import { escapeHtml } from './html';
import { openApiDocument } from './openapi';

/** The pages' folder, found from src/platform/http (tests) and dist/platform/http (built) alike. */
export const WEB_DIR = path.resolve(__dirname, '..', '..', '..', 'web');

/** The pages' scripts and styles: files, not endpoints. */
export const webFiles: RequestHandler = express.static(WEB_DIR, { index: false, maxAge: '5m' });

const pages = new Map<string, string>();

/**
 * A page as sent: its file, read once, with the shop's name where it says `{{shop}}` and its
 * currency on the root element (`data-currency`), which the pages' scripts format money with.
 */
function pageFor(file: string, deps: Pick<HttpDeps, 'shop'>): string {
  const text = pages.get(file) ?? fs.readFileSync(path.join(WEB_DIR, file), 'utf8');
  pages.set(file, text);
  const { name, currency } = deps.shop ?? defaultShopFace;
  return text.replaceAll('{{shop}}', escapeHtml(name)).replace('<html lang="en">', `<html lang="en" data-currency="${escapeHtml(currency)}">`);
}

const page = (path: string, file: string, summary: string): Endpoint =>
  endpoint<HttpDeps>({
    method: 'get',
    path,
    summary,
    tag: 'pages',
    who: 'anyone',
    ...(path.includes('{orderId}') ? { params: { orderId: orderIdSchema } } : {}),
    answers: { 200: ['the page', 'html'] },
    handle: ({ deps, res }) => res.type('html').send(pageFor(file, deps)),
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
