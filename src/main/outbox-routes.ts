// The outbox's dead letters, for staff: messages the relay gave up on, and a way to send one again.
import { z } from 'zod';
import { endpoint } from '../platform/http/endpoint';
import { HttpProblem } from '../platform/http/problem';
import type { ShopDeps } from './deps';

const deadLettersSchema = z.array(
  z.object({
    notificationId: z.string(),
    recipient: z.string(),
    template: z.string(),
    data: z.record(z.string(), z.unknown()),
    idempotencyKey: z.string(),
    attempts: z.number().int(),
    createdAt: z.string(),
    lastError: z.string().nullable(),
  }),
);

export const outboxEndpoints = [
  endpoint<ShopDeps>({
    method: 'get',
    path: '/outbox/failed',
    summary: 'Dead letters: messages the mail relay gave up on, with their last error',
    tag: 'staff',
    who: { staff: [] },
    answers: { 200: ['the dead letters, oldest first', deadLettersSchema] },
    handle: async ({ deps, res }) => res.json(await deps.services.notificationOutbox.failed()),
  }),
  endpoint<ShopDeps>({
    method: 'post',
    path: '/outbox/{notificationId}/retry',
    summary: 'Send a dead letter again, its attempts counted afresh',
    tag: 'staff',
    who: { staff: [] },
    params: { notificationId: z.string() },
    answers: { 200: ['back in line', z.object({ notificationId: z.string(), status: z.literal('PENDING') })], 404: ['no such dead letter', 'problem'] },
    handle: async ({ deps, params, res }) => {
      const id = params.notificationId!;
      if (!(await deps.services.notificationOutbox.retry(id))) throw new HttpProblem(404, 'Not found', `no dead letter ${id}`);
      res.json({ notificationId: id, status: 'PENDING' });
    },
  }),
];
