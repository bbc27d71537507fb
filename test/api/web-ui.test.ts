// What the Temporal Web UI shows of an order: a summary and details for the workflow, a summary
// on each activity, and where the saga stands, all sealed like every other payload.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coffeeKind } from '../../src/coffee/kind';
import { orderKind } from '../../src/orders/kind';
import { uniqueId } from '../support/database';
import { testCodec } from '../support/secrets';
import { eventually, orderFor, startTestApi, type TestApi } from './helpers';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  for (const name of ['espresso-beans', 'milk', 'cups']) expect((await api.http.put(`/coffee/ingredients/${name}`, { available: 10_000 })).status).toBe(200);
});
afterAll(() => api?.stop());

const opened = async (payload: Payload | null | undefined) => defaultPayloadConverter.fromPayload<string>((await testCodec.decode([payload!]))[0]!);
const sealed = (payload: Payload | null | undefined) => Buffer.from(payload?.metadata?.encoding ?? []).toString() === 'binary/encrypted';

describe('in the Temporal Web UI', () => {
  it('a coffee order reads "Coffee for Ada: 2 × latte (medium), 9.00", its details list the lines, its activities say what they do, and its current details where it stands', async () => {
    const orderId = uniqueId('ui-coffee');
    const body = { customerName: 'Ada', items: [{ drink: 'latte', size: 'medium', quantity: 2 }], paymentToken: 'tok_ok' };
    expect((await api.http.post('/coffee/orders', body, { 'Idempotency-Key': orderId })).status).toBe(202);
    await eventually(() => api.http.get(`/coffee/orders/${orderId}`), (o) => o.status === 'QUEUED');
    const handle = api.temporal.client.workflow.getHandle(coffeeKind.workflowId(orderId));

    const described = await handle.describe();
    expect(await described.staticSummary()).toBe('Coffee for Ada: 2 × latte (medium), 9.00');
    expect(await described.staticDetails()).toContain('- 2 × latte, medium: 9.00');
    // Sealed like every payload: the name is for staff, through the codec.
    expect(sealed(described.raw.executionConfig?.userMetadata?.summary)).toBe(true);

    const { events } = await handle.fetchHistory();
    const scheduled = events!.filter((e) => e.activityTaskScheduledEventAttributes);
    const summaries = await Promise.all(scheduled.map((e) => opened(e.userMetadata?.summary)));
    expect(summaries).toEqual(expect.arrayContaining(['take ingredients', 'charge payment 9.00']));
    expect(summaries).toHaveLength(scheduled.length);

    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(/^\*\*QUEUED\*\* · payment captured/);
    expect(metadata.currentDetails).toContain('Done: takeIngredients, chargePayment');
  });

  it("a shop order reads as its items and customer, and its current details show what was undone and why", async () => {
    const sku = uniqueId('ui-sku');
    expect((await api.http.put(`/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 5 })).status).toBe(200);
    const orderId = uniqueId('ui-order');
    expect((await api.http.post('/orders', orderFor([{ sku, quantity: 2 }], { customerId: 'c-ui', paymentToken: 'tok_declined' }), { 'Idempotency-Key': orderId })).status).toBe(202);
    await eventually(() => api.http.get(`/orders/${orderId}`), (o) => o.status === 'FAILED');
    const handle = api.temporal.client.workflow.getHandle(orderKind.workflowId(orderId));

    expect(await (await handle.describe()).staticSummary()).toBe(`Order ${orderId} for customer c-ui: 2 × ${sku}`);
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('**FAILED**');
    expect(metadata.currentDetails).toContain('Undone: releaseInventory');
    expect(metadata.currentDetails).toContain('Why: CardDeclined');
  });
});
